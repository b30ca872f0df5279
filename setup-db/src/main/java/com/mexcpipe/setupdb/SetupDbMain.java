package com.mexcpipe.setupdb;

public final class SetupDbMain {
    private SetupDbMain() {
    }

    public static void main(String[] args) {
        System.out.println("setup-db: not implemented yet");
    }
}
