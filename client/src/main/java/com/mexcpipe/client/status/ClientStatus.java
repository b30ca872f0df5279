package com.mexcpipe.client.status;

import java.util.List;
import java.util.Map;

/** The {@code /status} document (JSON). Times are ISO-8601 UTC; ages in milliseconds. */
public record ClientStatus(
        String symbol,
        String base,
        String state,
        boolean healthy,
        List<String> problems,
        String route,
        String connectedSince,
        Long lastFrameAgeMs,
        Map<String, String> subscriptionsLiveSince,
        Exchange exchange,
        Rows rows,
        Store store,
        Rotation rotation,
        Object tor,
        Object exit) {

    public record Exchange(long connects, long reconnects, long connectFailures, long newCircuits, long silenceDrops,
            long pingsSent, Map<String, Long> frames, long binaryFrames, String lastError, String lastClose,
            String lastExchangeError) {
    }

    public record Rows(Map<String, Long> decoded, Map<String, Long> stored, Map<String, Long> storedThisPeriod,
            double ratePerSecond) {
    }

    public record Store(String clickhouse, long bufferedRows, long spooledRows, long spoolBytes, long inserts,
            long insertFailures, long consecutiveFailures, String lastError, String lastErrorKind,
            long lastInsertMillis, long maxInsertMillis, String lastAckAt, boolean paused, boolean blocked) {
    }

    public record Rotation(String phase, String rotationId, String leaseUntil, String lastRotationId,
            String lastResumedAt, String lastResumeReason, long rotations, long leaseExpiries, String countsSince,
            boolean countsComplete) {
    }
}
