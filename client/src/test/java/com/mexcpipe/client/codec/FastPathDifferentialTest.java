package com.mexcpipe.client.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.mexcpipe.common.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The depth fast path (compact levels, SWAR digit runs) must decode exactly as the general path does, on random
 * frames with every number shape and spacing that can occur (or be malformed).
 */
class FastPathDifferentialTest {
    /** Valid JSON numbers, including the forms the fast path hands to the general path (sign, exponent, -0). */
    static final String[] VALID = {"0", "7", "10", "0.5", "0.0270", "122125.8", "12345678901234567", "1.23456789012",
        "-1", "-0", "-0.0", "1e3", "7.548E+4", "1.0E-7", "99999999", "123456789.123456789", "2", "3.25", "0.00000001"};
    /** Not JSON numbers. */
    static final String[] INVALID = {"01", "1.", ".5", "+1", "00", "0.", "-", "1.2.3", "1e", "--1"};
    static final String[] GAPS = {"", "", "", "", " ", "\t", "\n "};

    static String number(Random r) {
        return r.nextInt(400) == 0 ? INVALID[r.nextInt(INVALID.length)] : VALID[r.nextInt(VALID.length)];
    }

    static String gap(Random r) {
        return GAPS[r.nextInt(GAPS.length)];
    }

    static String side(Random r) {
        int levels = r.nextInt(26);
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < levels; i++) {
            if (i > 0) {
                b.append(',').append(r.nextInt(8) == 0 ? gap(r) : "");
            }
            b.append('[').append(r.nextInt(10) == 0 ? gap(r) : "").append(number(r)).append(',')
                    .append(r.nextInt(10) == 0 ? gap(r) : "").append(number(r));
            int extra = r.nextInt(3);
            for (int e = 0; e < extra; e++) {
                b.append(',').append(r.nextInt(60) == 0 ? "\"x\"" : number(r));
            }
            b.append(r.nextInt(12) == 0 ? gap(r) : "").append(']');
        }
        return b.append(']').toString();
    }

    static List<Row> decode(FrameDecoder d, String frame) {
        List<Row> rows = new ArrayList<>();
        d.decodeText(frame, 42, (ts, mt, m) -> rows.add(new Row(ts, mt, m)));
        return rows;
    }

    @Test
    void fastAndGeneralPathsAgreeOnRandomDepthFrames() {
        Random r = new Random(20261122);
        FrameDecoder fast = new FrameDecoder(true);
        FrameDecoder general = new FrameDecoder(false);
        int rowsSeen = 0;
        int rawSeen = 0;
        for (int i = 0; i < 20_000; i++) {
            String frame = "{\"symbol\":\"BTC_USDT\",\"data\":{\"asks\":" + side(r) + ",\"bids\":" + side(r)
                    + ",\"cts\":1759321623290},\"channel\":\"push.depth.full\",\"ts\":1759321623306}";
            List<Row> a = decode(fast, frame);
            assertThat(a).as(frame).isEqualTo(decode(general, frame));
            if (a.get(0).mt() == com.mexcpipe.common.RowType.DEPTH) {
                rowsSeen++;
            } else {
                rawSeen++;
            }
        }
        assertThat(rowsSeen).as("valid frames exercised").isGreaterThan(1000);
        assertThat(rawSeen).as("malformed frames exercised").isGreaterThan(1000);
    }

    /** A level of random characters from the number alphabet: mostly not JSON, sometimes just so. */
    static String scrambledLevel(Random r) {
        String alphabet = "0123456789000111..,,,-e]";
        int len = 1 + r.nextInt(30);
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < len; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.append(']').toString();
    }

    @Test
    void fastAndGeneralPathsAgreeOnScrambledLevels() {
        Random r = new Random(424242);
        FrameDecoder fast = new FrameDecoder(true);
        FrameDecoder general = new FrameDecoder(false);
        int rowsSeen = 0;
        for (int i = 0; i < 100_000; i++) {
            StringBuilder side = new StringBuilder("[");
            int levels = 1 + r.nextInt(3);
            for (int l = 0; l < levels; l++) {
                side.append(l > 0 ? "," : "").append(r.nextBoolean() ? scrambledLevel(r)
                        : "[" + number(r) + "," + number(r) + (r.nextBoolean() ? "," + number(r) : "") + "]");
            }
            side.append(']');
            // levels at the very end of the frame too: the scanners must not read past it
            String tail = r.nextBoolean() ? ",\"cts\":1759321623290},\"channel\":\"push.depth.full\"}" : "}}";
            String frame = "{\"channel\":\"push.depth.full\",\"data\":{\"asks\":[],\"bids\":" + side + tail;
            List<Row> a = decode(fast, frame);
            assertThat(a).as(frame).isEqualTo(decode(general, frame));
            if (a.get(0).mt() == com.mexcpipe.common.RowType.DEPTH) {
                rowsSeen++;
            }
        }
        assertThat(rowsSeen).as("valid frames exercised").isGreaterThan(10_000);
    }

    @Test
    void swarDigitRunsMatchAScalarCount() {
        Random r = new Random(7);
        byte[] b = new byte[64];
        for (int i = 0; i < 200_000; i++) {
            for (int k = 0; k < b.length; k++) {
                int pick = r.nextInt(10);
                b[k] = (byte) (pick < 7 ? '0' + r.nextInt(10) : pick == 7 ? r.nextInt(256) : "/:.,]e-".charAt(r.nextInt(7)));
            }
            int p = r.nextInt(b.length);
            int n = p + r.nextInt(b.length - p + 1);
            int scalar = 0;
            while (p + scalar < n && b[p + scalar] >= '0' && b[p + scalar] <= '9') {
                scalar++;
            }
            assertThat(PlainNumbers.digitRun(b, p, n)).isEqualTo(scalar);
        }
    }
}
