package com.mexcpipe.client.codec;

/** {@code push.depth.full} data to {@code bids|asks} (see {@link DepthSides}); event time = the data's {@code cts}. */
final class DepthData {
    private static final int OTHER = 0;
    private static final int BIDS = 1;
    private static final int ASKS = 2;
    private static final int CTS = 3;

    private final JsonCursor c;
    private final DepthSides sides;
    private final CharOut bids = new CharOut(1024);
    private final CharOut asks = new CharOut(1024);
    private final CharOut m = new CharOut(2048);
    private long eventTs;

    DepthData(JsonCursor c, boolean fastPaths) {
        this.c = c;
        this.sides = new DepthSides(c, fastPaths);
    }

    /** Parses the data object at the cursor; throws {@link Malformed} if a side is missing, repeated or invalid. */
    void parse() {
        eventTs = EventTime.NONE;
        boolean seenBids = false, seenAsks = false, seenCts = false;
        c.expect('{');
        if (!c.consume('}')) {
            do {
                c.readString();
                int k = key();
                c.expect(':');
                switch (k) {
                    case BIDS -> {
                        if (seenBids) {
                            throw Malformed.INSTANCE;
                        }
                        seenBids = true;
                        sides.parse(bids);
                    }
                    case ASKS -> {
                        if (seenAsks) {
                            throw Malformed.INSTANCE;
                        }
                        seenAsks = true;
                        sides.parse(asks);
                    }
                    case CTS -> {
                        if (seenCts) {
                            throw Malformed.INSTANCE;
                        }
                        seenCts = true;
                        eventTs = EventTime.require(c);
                    }
                    default -> c.skipValue();
                }
            } while (c.more('}'));
        }
        if (!seenBids || !seenAsks) {
            throw Malformed.INSTANCE;
        }
    }

    /** The {@code cts} of the data just parsed, or {@link EventTime#NONE}. */
    long eventTs() {
        return eventTs;
    }

    String m() {
        m.clear();
        m.append(bids);
        m.append('|');
        m.append(asks);
        return m.toString();
    }

    private int key() {
        if (c.strEscaped) {
            String k = c.decodedString();
            return "bids".equals(k) ? BIDS : "asks".equals(k) ? ASKS : "cts".equals(k) ? CTS : OTHER;
        }
        int st = c.strStart;
        int en = c.strEnd;
        if (c.spanIs(st, en, "bids")) {
            return BIDS;
        }
        if (c.spanIs(st, en, "asks")) {
            return ASKS;
        }
        return c.spanIs(st, en, "cts") ? CTS : OTHER;
    }
}
