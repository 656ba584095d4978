package com.example;

import java.io.InputStream;
import java.util.Properties;

public class App {
    public static void main(String[] args) throws Exception {
        Properties settings = new Properties();
        try (InputStream in = App.class.getResourceAsStream("/application.properties")) {
            settings.load(in);
        }
        System.out.println(settings);
    }
}
