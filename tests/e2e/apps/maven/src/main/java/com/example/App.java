package com.example;

/** Greets its arguments. */
public final class App {
    private App() {
    }

    public static void main(String[] args) {
        String name = args.length > 0 ? String.join(" ", args) : "world";
        System.out.println("hello from maven, " + name);
    }
}
