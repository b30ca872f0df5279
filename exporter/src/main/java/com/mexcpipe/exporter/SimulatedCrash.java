package com.mexcpipe.exporter;

/** Thrown by a test's {@link Steps} hook to stop the exporter dead at a step, as a crash would. */
public final class SimulatedCrash extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SimulatedCrash(String step) {
        super("simulated crash at " + step);
    }
}
