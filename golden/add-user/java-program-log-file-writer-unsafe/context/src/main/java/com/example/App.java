package com.example;

import java.io.FileWriter;

public class App {
    public static void main(String[] args) throws Exception {
        try (FileWriter log = new FileWriter("/srv/hello.log", true)) {
            log.write("started\n");
        }
    }
}
