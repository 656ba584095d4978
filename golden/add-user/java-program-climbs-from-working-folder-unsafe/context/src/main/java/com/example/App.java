package com.example;

import java.io.*;
import java.nio.file.*;
import java.net.*;

public class App {
    public static void main(String[] args) throws Exception {
        Path p = Paths.get(System.getProperty("user.dir")).getParent().resolve("data");
        Files.createDirectories(p);
    }
}
