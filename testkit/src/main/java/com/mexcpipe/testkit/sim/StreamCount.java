package com.mexcpipe.testkit.sim;

/**
 * What one connection was sent on one stream: {@code frames} push frames carrying {@code events} market events (a
 * deal array of k deals is k events; a ticker or a depth snapshot is one).
 */
public record StreamCount(long frames, long events) {
    public static final StreamCount ZERO = new StreamCount(0, 0);

    StreamCount plus(StreamCount o) {
        return new StreamCount(frames + o.frames, events + o.events);
    }
}
