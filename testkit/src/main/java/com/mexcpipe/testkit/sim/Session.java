package com.mexcpipe.testkit.sim;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.java_websocket.WebSocket;

/** Server-side state and recording of one connection. */
final class Session {
    /** An accepted subscription; {@code limit} is the depth limit (0 for ticker/deal). */
    record Sub(StreamKey key, int limit) {
    }

    static final class Counter {
        final AtomicLong frames = new AtomicLong();
        final AtomicLong events = new AtomicLong();
    }

    final long id;
    final WebSocket conn;
    final String ip;
    final int port;
    final String path;
    final Instant connectedAt;

    final Map<StreamKey, Sub> subs = new ConcurrentHashMap<>();
    final Map<StreamKey, Counter> pushed = new ConcurrentHashMap<>();
    final AtomicLong pings = new AtomicLong();
    final AtomicLong pongs = new AtomicLong();
    final AtomicLong malformedSent = new AtomicLong();
    final AtomicLong framesSkipped = new AtomicLong();
    final AtomicLong badRequests = new AtomicLong();

    /** Requests that arrived while the server was stalled; handled in order on resume. Guarded by {@code this}. */
    final ArrayDeque<String> inbox = new ArrayDeque<>();
    private final List<SubscriptionRecord> subscriptionLog = new ArrayList<>();
    private final List<String> errorsSent = new ArrayList<>();

    volatile boolean gzip;
    volatile long lastPingMillis;
    volatile boolean pingTimeoutFired;
    volatile String serverCloseCause;
    private volatile Instant closedAt;
    private volatile Integer closeCode;
    private volatile String closeReason;
    private volatile Boolean closedByRemote;

    Session(long id, WebSocket conn, String ip, int port, String path, boolean gzip) {
        this.id = id;
        this.conn = conn;
        this.ip = ip;
        this.port = port;
        this.path = path;
        this.gzip = gzip;
        this.connectedAt = Instant.now();
        this.lastPingMillis = System.currentTimeMillis();
    }

    boolean isClosed() {
        return closedAt != null;
    }

    synchronized void closed(int code, String reason, boolean remote) {
        if (closedAt == null) {
            closeCode = code;
            closeReason = reason;
            closedByRemote = remote;
            closedAt = Instant.now();
        }
    }

    synchronized void logSubscription(SubscriptionRecord r) {
        subscriptionLog.add(r);
    }

    synchronized void logError(String text) {
        errorsSent.add(text);
    }

    void count(StreamKey key, int events) {
        Counter c = pushed.computeIfAbsent(key, k -> new Counter());
        c.frames.incrementAndGet();
        c.events.addAndGet(events);
    }

    int depthSubscriptions() {
        int n = 0;
        for (StreamKey k : subs.keySet()) {
            if (k.channel() == Channel.DEPTH) {
                n++;
            }
        }
        return n;
    }

    synchronized ConnectionRecord record() {
        Map<StreamKey, StreamCount> counts = new LinkedHashMap<>();
        pushed.forEach((k, c) -> counts.put(k, new StreamCount(c.frames.get(), c.events.get())));
        return new ConnectionRecord(id, ip, port, path, connectedAt, closedAt, closeCode, closeReason, closedByRemote,
                serverCloseCause, gzip, List.copyOf(subscriptionLog), pings.get(), pongs.get(), List.copyOf(errorsSent),
                Collections.unmodifiableMap(counts), malformedSent.get(), framesSkipped.get(), badRequests.get());
    }
}
