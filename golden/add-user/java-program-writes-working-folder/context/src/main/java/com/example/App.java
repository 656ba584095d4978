package com.example;

import java.nio.file.Files;
import java.nio.file.Path;

public class App {
    public static void main(String[] args) throws Exception {
        Files.createDirectories(Path.of("data"));
        Files.writeString(Path.of("data", "state"), "started");
        System.out.println(Files.readString(Path.of("/etc/hostname")));
    }
}
