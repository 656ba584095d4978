package com.example;

import java.io.*;
import java.nio.file.*;
import java.net.*;

public class App {
    public static void main(String[] args) throws Exception {
        String dir = System.getProperty("data.dir", "/srv/data");
        Files.createDirectories(Paths.get(dir));
    }
}
