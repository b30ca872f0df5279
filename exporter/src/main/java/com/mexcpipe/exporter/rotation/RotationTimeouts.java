package com.mexcpipe.exporter.rotation;

import java.time.Duration;

/**
 * @param pauseAck      how long to wait for {@code paused} after writing {@code rotate}
 * @param leaseMargin   rename only if at least this much of the client's lease is left
 * @param clientStale   a heartbeat older than this means no client process is running
 * @param resumeWait    how long to wait for {@code resumed} after {@code rotated} (then clear anyway)
 * @param poll          flag-file polling interval
 */
public record RotationTimeouts(Duration pauseAck, Duration leaseMargin, Duration clientStale, Duration resumeWait,
        Duration poll) {
    public static RotationTimeouts defaults() {
        return new RotationTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(20), Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofMillis(100));
    }
}
