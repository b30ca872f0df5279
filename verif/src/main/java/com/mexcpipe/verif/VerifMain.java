package com.mexcpipe.verif;

public final class VerifMain {
    private VerifMain() {
    }

    public static void main(String[] args) {
        System.out.println("verif: not implemented yet");
    }
}
