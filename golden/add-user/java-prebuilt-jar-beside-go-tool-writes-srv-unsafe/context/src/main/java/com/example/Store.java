package com.example;
import java.nio.file.*;
public class Store {
  public static void init() throws Exception {
    Files.createDirectories(Paths.get("/srv/store"));
  }
}
