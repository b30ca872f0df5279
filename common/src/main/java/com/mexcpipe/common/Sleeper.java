package com.mexcpipe.common;

import java.time.Duration;

/** Waiting, injectable so that schedules and timeouts are testable without real sleeps. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;

    Sleeper REAL = d -> Thread.sleep(Math.max(0, d.toMillis()));
}
