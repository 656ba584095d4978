package com.example;

import java.io.File;

public class App {
    public static void main(String[] args) {
        if (!new File("/srv/cache").mkdirs()) {
            throw new IllegalStateException("cannot make /srv/cache");
        }
    }
}
