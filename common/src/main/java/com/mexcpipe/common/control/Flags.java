package com.mexcpipe.common.control;

import java.time.Instant;
import java.util.Map;

/**
 * The flag files of the rotation protocol (DESIGN §5) in {@code control/<base>/}. Each is a small JSON document
 * written atomically and carrying the rotation id.
 */
public final class Flags {
    public static final String ROTATE = "rotate";
    public static final String PAUSED = "paused";
    public static final String ROTATED = "rotated";
    public static final String RESUMED = "resumed";
    /** Not a flag: the client's liveness, rewritten every few seconds. */
    public static final String HEARTBEAT = "heartbeat.json";
    /** Not a flag: the client's published exit IP (the Tor issue). */
    public static final String EXIT = "exit.json";

    /** Step 1, exporter: close the period {@code id}. */
    public record Rotate(String id, Instant requestedAt) {
    }

    /**
     * Step 2, client: no insert in flight and none will start before {@code leaseUntil} unless {@code rotated}
     * arrives. {@code counts} are rows acknowledged into {@code _current} since {@code countsSince}; they cover
     * the whole period only when {@code countsComplete} (false after a client restart inside the period).
     */
    public record Paused(String id, Instant pausedAt, Instant leaseUntil, Map<String, Long> counts,
            Instant countsSince, boolean countsComplete, long pid) {
    }

    /** Step 3, exporter: {@code _current} was renamed to {@code _previous} and a fresh {@code _current} exists. */
    public record Rotated(String id, Instant rotatedAt) {
    }

    /** Step 4, client: inserting again; {@code reason} is {@code rotated} or {@code lease-expired}. */
    public record Resumed(String id, Instant resumedAt, String reason) {
    }

    /** The heartbeat state a client writes when it shuts down cleanly. */
    public static final String STOPPED = "stopped";

    /** The client's liveness and state. */
    public record Heartbeat(long pid, Instant startedAt, Instant at, String state, String symbol) {
        /** A client process is running: the heartbeat is recent and not the last one of a clean shutdown. */
        public boolean alive(Instant now, java.time.Duration staleAfter) {
            return !STOPPED.equals(state) && at.isAfter(now.minus(staleAfter));
        }
    }

    private Flags() {
    }
}
