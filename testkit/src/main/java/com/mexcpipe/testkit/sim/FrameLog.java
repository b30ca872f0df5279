package com.mexcpipe.testkit.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** The optional log of exact frames sent: off, the last N (ring), or everything (opt-in, for zero-loss tests). */
final class FrameLog {
    private final int capacity; // 0 = off, Integer.MAX_VALUE = full
    private final ArrayDeque<PushedFrame> frames = new ArrayDeque<>();
    private long dropped;

    FrameLog(int capacity) {
        this.capacity = capacity;
    }

    boolean enabled() {
        return capacity > 0;
    }

    synchronized void add(PushedFrame f) {
        if (capacity <= 0) {
            return;
        }
        if (frames.size() >= capacity) {
            frames.removeFirst();
            dropped++;
        }
        frames.addLast(f);
    }

    synchronized List<PushedFrame> list() {
        return List.copyOf(new ArrayList<>(frames));
    }

    /** Frames evicted from the ring since start or the last clear. */
    synchronized long evicted() {
        return dropped;
    }

    synchronized void clear() {
        frames.clear();
        dropped = 0;
    }
}
