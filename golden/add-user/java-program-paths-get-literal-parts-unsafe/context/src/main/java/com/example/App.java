package com.example;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

public class App {
    public static void main(String[] args) throws Exception {
        Path p = Paths.get("/srv", "data", "state");
        Files.createDirectories(p.getParent());
        Files.writeString(p, "x");
    }
}
