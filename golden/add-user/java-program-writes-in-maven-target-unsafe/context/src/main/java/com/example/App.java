package com.example;

import java.nio.file.Files;
import java.nio.file.Path;

public class App {
    public static void main(String[] args) throws Exception {
        Files.writeString(Path.of("target/cache.txt"), "started");
    }
}
