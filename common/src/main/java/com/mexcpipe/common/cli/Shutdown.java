package com.mexcpipe.common.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Waits for SIGTERM/SIGINT and lets the main thread shut down cleanly: the JVM's shutdown hook releases
 * {@link #await()}, then waits (bounded) until the main thread calls {@link #done()}.
 */
public final class Shutdown {
    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);

    public static Shutdown onSignal(long maxCloseSeconds) {
        Shutdown s = new Shutdown();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            s.requested.countDown();
            try {
                s.finished.await(maxCloseSeconds, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "shutdown"));
        return s;
    }

    public void await() throws InterruptedException {
        requested.await();
    }

    /** For programmatic stops (tests, fatal errors). */
    public void request() {
        requested.countDown();
    }

    public void done() {
        finished.countDown();
    }
}
