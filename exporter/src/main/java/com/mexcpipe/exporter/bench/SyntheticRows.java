package com.mexcpipe.exporter.bench;

import com.mexcpipe.common.RowType;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Realistic, deterministic rows for benchmarks and tests: about 60% {@code dp} (a 20-level order book that evolves
 * like the real one: a random-walk price, a few level volumes changing per snapshot, ~700–900 chars), 35% {@code d},
 * 5% {@code t} and a few {@code dl} (raw JSON), timestamps increasing over one hour with small jitter (ties occur).
 * The same seed and count always give the same rows.
 */
public final class SyntheticRows {
    private static final int LEVELS = 20;
    private static final RowType[] TYPES = RowType.values();

    /** 2026-11-21T14:00:00Z: the hour the generated rows fall in. */
    public static final Instant DEFAULT_START = Instant.parse("2026-11-21T14:00:00Z");

    private final long[] ts;
    private final byte[] mt;
    private final String[] m;
    private final long textBytes;

    private SyntheticRows(long[] ts, byte[] mt, String[] m, long textBytes) {
        this.ts = ts;
        this.mt = mt;
        this.m = m;
        this.textBytes = textBytes;
    }

    /** Generates {@code count} rows in {@code [start, start + 1 h)}. */
    public static SyntheticRows generate(int count, long seed, Instant start) {
        return generate(count, seed, start, 0);
    }

    /**
     * Like {@link #generate(int, long, Instant)}, with {@code depthChanges} order-book volumes changed per
     * {@code dp} snapshot (0: 1 to 4 at random, the default; more makes snapshots less alike, the text less
     * compressible).
     */
    public static SyntheticRows generate(int count, long seed, Instant start, int depthChanges) {
        long[] ts = new long[count];
        byte[] mt = new byte[count];
        String[] m = new String[count];
        Generator g = new Generator(seed, depthChanges);
        long t0 = start.toEpochMilli();
        double step = 3_600_000.0 / Math.max(1, count);
        long prev = t0;
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            long base = t0 + (long) (i * step);
            long t = Math.max(prev, base + g.rnd.nextInt(3) - 1);
            t = Math.min(t, t0 + 3_599_999);
            prev = t;
            ts[i] = t;
            RowType type = g.nextType();
            mt[i] = (byte) type.ordinal();
            m[i] = g.next(type, t);
            bytes += m[i].length();
        }
        return new SyntheticRows(ts, mt, m, bytes);
    }

    public int size() {
        return ts.length;
    }

    public long ts(int i) {
        return ts[i];
    }

    public RowType mt(int i) {
        return TYPES[mt[i]];
    }

    public String m(int i) {
        return m[i];
    }

    /** Total length of all {@code m} texts (chars; they are ASCII, so also UTF-8 bytes). */
    public long textBytes() {
        return textBytes;
    }

    /** Keeps the state of the simulated market. */
    static final class Generator {
        final SplittableRandom rnd;
        /** Best bid in tenths of a unit (0.1 tick). */
        long bid = 1_221_258;
        final long[] bidVol = new long[LEVELS];
        final long[] askVol = new long[LEVELS];
        long holdVol = 102_648_627;
        final StringBuilder sb = new StringBuilder(1024);
        final int depthChanges;

        Generator(long seed, int depthChanges) {
            rnd = new SplittableRandom(seed);
            this.depthChanges = depthChanges;
            for (int i = 0; i < LEVELS; i++) {
                bidVol[i] = volume();
                askVol[i] = volume();
            }
        }

        RowType nextType() {
            int r = rnd.nextInt(10_000);
            if (r < 6_000) {
                return RowType.DEPTH;
            }
            if (r < 9_500) {
                return RowType.DEAL;
            }
            if (r < 9_998) {
                return RowType.TICKER;
            }
            return RowType.RAW;
        }

        long volume() {
            return 1 + rnd.nextInt(250_000);
        }

        void walk() {
            int r = rnd.nextInt(100);
            if (r < 8) {
                shift(1);
            } else if (r < 16) {
                shift(-1);
            }
        }

        /** Moves the book by {@code d} ticks: levels slide, the new edge level gets a fresh volume. */
        void shift(int d) {
            bid += d;
            if (d > 0) {
                System.arraycopy(bidVol, 0, bidVol, 1, LEVELS - 1);
                bidVol[0] = volume();
                System.arraycopy(askVol, 1, askVol, 0, LEVELS - 1);
                askVol[LEVELS - 1] = volume();
            } else {
                System.arraycopy(bidVol, 1, bidVol, 0, LEVELS - 1);
                bidVol[LEVELS - 1] = volume();
                System.arraycopy(askVol, 0, askVol, 1, LEVELS - 1);
                askVol[0] = volume();
            }
        }

        String next(RowType type, long t) {
            walk();
            sb.setLength(0);
            switch (type) {
                case DEPTH -> depth();
                case DEAL -> {
                    price(bid + (rnd.nextBoolean() ? 1 : 0));
                    sb.append('|').append(1 + (long) (-Math.log(1 - rnd.nextDouble()) * 20)).append('|')
                            .append(rnd.nextBoolean() ? 1 : 2);
                }
                case TICKER -> {
                    price(bid);
                    sb.append('|');
                    price(bid + rnd.nextInt(3) - 1);
                    sb.append('|');
                    price(bid + 50 + rnd.nextInt(150));
                    sb.append("|0.00010000|");
                    holdVol += rnd.nextInt(2001) - 1000;
                    sb.append(holdVol);
                }
                case RAW -> {
                    sb.append("{\"channel\":\"push.kline\",\"data\":{\"a\":").append(rnd.nextInt(90_000_000))
                            .append(".4128,\"c\":");
                    price(bid);
                    sb.append(",\"h\":");
                    price(bid + rnd.nextInt(40));
                    sb.append(",\"interval\":\"Min1\",\"l\":");
                    price(bid - rnd.nextInt(40));
                    sb.append(",\"o\":");
                    price(bid + rnd.nextInt(20) - 10);
                    sb.append(",\"q\":").append(rnd.nextInt(800_000)).append(",\"symbol\":\"BTC_USDT\",\"t\":")
                            .append(t / 60_000 * 60).append("},\"symbol\":\"BTC_USDT\",\"ts\":").append(t)
                            .append('}');
                }
            }
            return sb.toString();
        }

        void depth() {
            int changes = depthChanges > 0 ? depthChanges : 1 + rnd.nextInt(4);
            for (int c = 0; c < changes; c++) {
                int level = (int) Math.min(LEVELS - 1, -Math.log(1 - rnd.nextDouble()) * 5);
                if (rnd.nextBoolean()) {
                    bidVol[level] = volume();
                } else {
                    askVol[level] = volume();
                }
            }
            for (int i = 0; i < LEVELS; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append('[');
                price(bid - i);
                sb.append(',').append(bidVol[i]).append(']');
            }
            sb.append('|');
            for (int i = 0; i < LEVELS; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append('[');
                price(bid + 1 + i);
                sb.append(',').append(askVol[i]).append(']');
            }
        }

        /** Tenths as a plain decimal: 1221258 → 122125.8, 1221260 → 122126. */
        void price(long tenths) {
            sb.append(tenths / 10);
            long f = tenths % 10;
            if (f != 0) {
                sb.append('.').append(f);
            }
        }
    }
}
