package io.github.depthsweep.app;

public class AppCommand {
    public static void main(String[] a) {
        System.out.println("app");
    }
}
