package com.mexcpipe.client.codec;

/** Event-time fields of MEXC frames: whole, plausible epoch milliseconds. */
final class EventTime {
    /** No usable event time (the row falls back to the frame's {@code ts}, then to the receive time). */
    static final long NONE = Long.MIN_VALUE;
    /** Event times outside [2000-01-01, 2100-01-01) are not plausible exchange times. */
    static final long MIN = 946_684_800_000L;
    static final long MAX = 4_102_444_800_000L;

    private EventTime() {
    }

    /** {@code ts}, or {@code fallback} when it is {@link #NONE}. */
    static long orElse(long ts, long fallback) {
        return ts != NONE ? ts : fallback;
    }

    /** Reads a field that must hold an event time; anything else makes the frame malformed. */
    static long require(JsonCursor c) {
        c.readNumber();
        long ts = ofNumber(c);
        if (ts == NONE) {
            throw Malformed.INSTANCE;
        }
        return ts;
    }

    /** The number just read as epoch ms, or {@link #NONE} if it is not a whole number in the plausible range. */
    static long ofNumber(JsonCursor c) {
        long v;
        if (!c.numHasFraction && c.numEnd - c.numStart <= 18) {
            byte[] b = c.buf;
            int i = c.numStart;
            boolean neg = b[i] == '-';
            if (neg) {
                i++;
            }
            v = 0;
            for (; i < c.numEnd; i++) {
                v = v * 10 + (b[i] - '0');
            }
            if (neg) {
                v = -v;
            }
        } else {
            try {
                v = c.decimal().longValueExact();
            } catch (ArithmeticException | Malformed e) {
                return NONE;
            }
        }
        return v >= MIN && v < MAX ? v : NONE;
    }
}
