package com.mexcpipe.client.codec;

import java.math.BigDecimal;
import java.util.Arrays;

/**
 * {@code push.deal} data, one object or an array of them, to {@code price|volume|direction} per deal; event time =
 * the deal's {@code t}.
 */
final class DealData {
    private final JsonCursor c;
    private final CharOut m = new CharOut(64);
    private long[] ts = new long[16];
    private String[] text = new String[16];
    private int count;

    DealData(JsonCursor c) {
        this.c = c;
    }

    /** Parses the data value at the cursor; throws {@link Malformed} if any deal is invalid or there is none. */
    void parse() {
        count = 0;
        if (c.peek() == '[') {
            c.expect('[');
            if (c.consume(']')) {
                throw Malformed.INSTANCE; // an empty deal push holds no event: keep it raw rather than drop it
            }
            do {
                parseDeal();
            } while (c.more(']'));
        } else {
            parseDeal();
        }
    }

    int count() {
        return count;
    }

    /** Deal {@code i}'s {@code t}, or {@link EventTime#NONE}. */
    long eventTs(int i) {
        return ts[i];
    }

    /** Deal {@code i}'s row text; the reference is released (each deal is taken once). */
    String take(int i) {
        String m = text[i];
        text[i] = null;
        return m;
    }

    private void parseDeal() {
        int pS = -1, pE = 0, vS = -1, vE = 0;
        boolean pPlain = false, vPlain = false;
        int direction = 0;
        long t = EventTime.NONE;
        boolean seenT = false;
        c.expect('{');
        if (!c.consume('}')) {
            do {
                c.readString();
                char k = singleCharKey();
                c.expect(':');
                switch (k) {
                    case 'p' -> {
                        if (pS >= 0) {
                            throw Malformed.INSTANCE;
                        }
                        c.readNumber();
                        pS = c.numStart;
                        pE = c.numEnd;
                        pPlain = c.numNeedsPlain;
                    }
                    case 'v' -> {
                        if (vS >= 0) {
                            throw Malformed.INSTANCE;
                        }
                        c.readNumber();
                        vS = c.numStart;
                        vE = c.numEnd;
                        vPlain = c.numNeedsPlain;
                    }
                    case 'T' -> {
                        if (direction != 0) {
                            throw Malformed.INSTANCE;
                        }
                        c.readNumber();
                        direction = direction();
                    }
                    case 't' -> {
                        if (seenT) {
                            throw Malformed.INSTANCE;
                        }
                        seenT = true;
                        t = EventTime.require(c);
                    }
                    default -> c.skipValue();
                }
            } while (c.more('}'));
        }
        if (pS < 0 || vS < 0 || direction == 0) {
            throw Malformed.INSTANCE;
        }
        m.clear();
        c.appendNumber(m, pS, pE, pPlain);
        m.append('|');
        c.appendNumber(m, vS, vE, vPlain);
        m.append('|');
        m.append((char) ('0' + direction));
        if (count == ts.length) {
            ts = Arrays.copyOf(ts, count * 2);
            text = Arrays.copyOf(text, count * 2);
        }
        ts[count] = t;
        text[count] = m.toString();
        count++;
    }

    /** The key of a deal field if it is one character long, else 0. */
    private char singleCharKey() {
        if (c.strEscaped) {
            String k = c.decodedString();
            return k.length() == 1 ? k.charAt(0) : 0;
        }
        return c.strEnd - c.strStart == 1 ? (char) c.buf[c.strStart] : 0;
    }

    /** MEXC's T: 1 = buy, 2 = sell; anything else is malformed. */
    private int direction() {
        if (!c.numNeedsPlain && !c.numHasFraction && c.numEnd - c.numStart == 1) {
            char d = (char) c.buf[c.numStart];
            if (d == '1' || d == '2') {
                return d - '0';
            }
            throw Malformed.INSTANCE;
        }
        BigDecimal v = c.decimal();
        if (v.compareTo(BigDecimal.ONE) == 0) {
            return 1;
        }
        if (v.compareTo(BigDecimal.valueOf(2)) == 0) {
            return 2;
        }
        throw Malformed.INSTANCE;
    }
}
