package com.mexcpipe.client.transport;

import com.mexcpipe.client.codec.FrameKind;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of the exchange session; written by the socket and session threads, read by status and metrics. */
public final class SessionStats {
    final AtomicLong connectAttempts = new AtomicLong();
    final AtomicLong connects = new AtomicLong();
    final AtomicLong connectFailures = new AtomicLong();
    final AtomicLong newCircuits = new AtomicLong();
    final AtomicLong silenceDrops = new AtomicLong();
    final AtomicLong pingsSent = new AtomicLong();
    final AtomicLong binaryFrames = new AtomicLong();
    private final AtomicLong[] frames = new AtomicLong[FrameKind.values().length];
    volatile long lastFrameAt;
    volatile long connectedSince;
    volatile long tickerLiveAt;
    volatile long dealLiveAt;
    volatile long depthLiveAt;
    volatile String lastError;
    volatile String lastClose;
    volatile String lastExchangeError;

    SessionStats() {
        for (int i = 0; i < frames.length; i++) {
            frames[i] = new AtomicLong();
        }
    }

    void count(FrameKind kind, long now) {
        frames[kind.ordinal()].incrementAndGet();
        switch (kind) {
            case TICKER -> {
                if (tickerLiveAt == 0) {
                    tickerLiveAt = now;
                }
            }
            case DEAL -> {
                if (dealLiveAt == 0) {
                    dealLiveAt = now;
                }
            }
            case DEPTH -> {
                if (depthLiveAt == 0) {
                    depthLiveAt = now;
                }
            }
            default -> {
            }
        }
    }

    void resetSubscriptions() {
        tickerLiveAt = 0;
        dealLiveAt = 0;
        depthLiveAt = 0;
    }

    public long frames(FrameKind kind) {
        return frames[kind.ordinal()].get();
    }

    public long totalFrames() {
        long n = 0;
        for (AtomicLong f : frames) {
            n += f.get();
        }
        return n;
    }

    public long connects() {
        return connects.get();
    }

    /** Connections after the first. */
    public long reconnects() {
        return Math.max(0, connects.get() - 1);
    }

    public long connectFailures() {
        return connectFailures.get();
    }

    public long newCircuits() {
        return newCircuits.get();
    }

    public long silenceDrops() {
        return silenceDrops.get();
    }

    public long pingsSent() {
        return pingsSent.get();
    }

    public long binaryFrames() {
        return binaryFrames.get();
    }

    public long lastFrameAt() {
        return lastFrameAt;
    }

    public long connectedSince() {
        return connectedSince;
    }

    /** When the first push of each channel arrived on the current connection (0 = not live yet). */
    public long tickerLiveAt() {
        return tickerLiveAt;
    }

    public long dealLiveAt() {
        return dealLiveAt;
    }

    public long depthLiveAt() {
        return depthLiveAt;
    }

    public String lastError() {
        return lastError;
    }

    public String lastClose() {
        return lastClose;
    }

    public String lastExchangeError() {
        return lastExchangeError;
    }
}
