package com.mexcpipe.client.store;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/** Capped exponential backoff with full jitter: attempt n waits uniform(0, min(cap, base * 2^n)). */
public final class Backoff {
    private final long baseMs;
    private final long capMs;
    private final DoubleSupplier random;
    private int attempt;

    public Backoff(Duration base, Duration cap, DoubleSupplier random) {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 < base <= cap, got " + base + ", " + cap);
        }
        this.baseMs = base.toMillis();
        this.capMs = cap.toMillis();
        this.random = random;
    }

    /** The delay before the next attempt; each call counts one more failure. */
    public Duration next() {
        long ceiling = ceiling(attempt);
        attempt = Math.min(attempt + 1, 62);
        return Duration.ofMillis((long) (random.getAsDouble() * ceiling));
    }

    private long ceiling(int n) {
        long c = baseMs;
        for (int i = 0; i < n && c < capMs; i++) {
            c *= 2;
        }
        return Math.min(c, capMs);
    }

    public int attempts() {
        return attempt;
    }

    public void reset() {
        attempt = 0;
    }
}
