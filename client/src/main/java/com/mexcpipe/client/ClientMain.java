package com.mexcpipe.client;

public final class ClientMain {
    private ClientMain() {
    }

    public static void main(String[] args) {
        System.out.println("client: not implemented yet");
    }
}
