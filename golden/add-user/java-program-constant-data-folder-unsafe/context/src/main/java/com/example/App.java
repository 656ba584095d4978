package com.example;

import java.nio.file.Files;
import java.nio.file.Paths;

public class App {
    private static final String DATA_DIR = "/opt/hello/data";

    public static void main(String[] args) throws Exception {
        Files.createDirectories(Paths.get(DATA_DIR, "uploads"));
    }
}
