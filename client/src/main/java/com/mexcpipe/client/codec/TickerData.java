package com.mexcpipe.client.codec;

/**
 * {@code push.ticker} data to {@code lastPrice|fairPrice|indexPrice|fundingRate|holdVol}; event time = the data's
 * {@code timestamp}.
 */
final class TickerData {
    private static final String[] FIELDS = {"lastPrice", "fairPrice", "indexPrice", "fundingRate", "holdVol"};
    private static final int FUNDING_RATE = 3;
    private static final int TIMESTAMP = -2;

    private final JsonCursor c;
    private final CharOut m = new CharOut(128);
    private final int[] start = new int[5];
    private final int[] end = new int[5];
    private final boolean[] needsPlain = new boolean[5];
    private long eventTs;

    TickerData(JsonCursor c) {
        this.c = c;
    }

    /** Parses the data object at the cursor; {@link Malformed} if a field is missing, repeated or not a number. */
    void parse() {
        eventTs = EventTime.NONE;
        boolean seenTimestamp = false;
        int seen = 0;
        c.expect('{');
        if (!c.consume('}')) {
            do {
                c.readString();
                int f = field();
                c.expect(':');
                if (f >= 0) {
                    if ((seen & (1 << f)) != 0) {
                        throw Malformed.INSTANCE;
                    }
                    seen |= 1 << f;
                    c.readNumber();
                    start[f] = c.numStart;
                    end[f] = c.numEnd;
                    needsPlain[f] = c.numNeedsPlain;
                } else if (f == TIMESTAMP) {
                    if (seenTimestamp) {
                        throw Malformed.INSTANCE;
                    }
                    seenTimestamp = true;
                    eventTs = EventTime.require(c);
                } else {
                    c.skipValue();
                }
            } while (c.more('}'));
        }
        if (seen != 0b11111) {
            throw Malformed.INSTANCE;
        }
        m.clear();
        for (int f = 0; f < 5; f++) {
            if (f > 0) {
                m.append('|');
            }
            int at = m.n;
            c.appendNumber(m, start[f], end[f], needsPlain[f]);
            if (f == FUNDING_RATE) {
                padFundingRate(m, at);
            }
        }
    }

    /** The {@code timestamp} of the data just parsed, or {@link EventTime#NONE}. */
    long eventTs() {
        return eventTs;
    }

    String m() {
        return m.toString();
    }

    /** fundingRate is padded with zeros to at least 8 decimals, never rounded. */
    static void padFundingRate(CharOut b, int from) {
        int dot = b.indexOf('.', from);
        int decimals;
        if (dot < 0) {
            b.append('.');
            decimals = 0;
        } else {
            decimals = b.n - dot - 1;
        }
        for (int i = decimals; i < 8; i++) {
            b.append('0');
        }
    }

    private int field() {
        if (c.strEscaped) {
            String k = c.decodedString();
            for (int i = 0; i < FIELDS.length; i++) {
                if (FIELDS[i].equals(k)) {
                    return i;
                }
            }
            return "timestamp".equals(k) ? TIMESTAMP : -1;
        }
        int st = c.strStart;
        int en = c.strEnd;
        switch (en - st) {
            case 7:
                return c.spanIs(st, en, "holdVol") ? 4 : -1;
            case 9:
                if (c.spanIs(st, en, "lastPrice")) {
                    return 0;
                }
                if (c.spanIs(st, en, "fairPrice")) {
                    return 1;
                }
                return c.spanIs(st, en, "timestamp") ? TIMESTAMP : -1;
            case 10:
                return c.spanIs(st, en, "indexPrice") ? 2 : -1;
            case 11:
                return c.spanIs(st, en, "fundingRate") ? FUNDING_RATE : -1;
            default:
                return -1;
        }
    }
}
