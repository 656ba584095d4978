package com.example;

import java.net.ServerSocket;

public class App {
    public static void main(String[] args) throws Exception {
        try (ServerSocket server = new ServerSocket(80)) {
            server.accept().close();
        }
    }
}
