package com.example;

import java.io.File;

public class App {
    public static void main(String[] args) {
        new File("/srv/cache").mkdirs();
    }
}
