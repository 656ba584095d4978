package com.example;

import java.io.FileWriter;

public class App {
    public static void main(String[] args) throws Exception {
        try (FileWriter out = new FileWriter("build/tally.txt", true)) {
            out.write("1\n");
        }
    }
}
