package com.example;
import java.io.*;
public class App {
  public static void main(String[] a) throws Exception {
    new FileWriter("/srv/app.log", true).close();
  }
}
