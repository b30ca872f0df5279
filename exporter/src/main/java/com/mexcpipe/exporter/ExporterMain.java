package com.mexcpipe.exporter;

public final class ExporterMain {
    private ExporterMain() {
    }

    public static void main(String[] args) {
        System.out.println("exporter: not implemented yet");
    }
}
