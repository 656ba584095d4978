package com.example;

import java.io.*;
import java.nio.file.*;
import java.net.*;

public class App {
    public static void main(String[] args) throws Exception {
        new RandomAccessFile("/srv/state.bin", "rw").close();
    }
}
