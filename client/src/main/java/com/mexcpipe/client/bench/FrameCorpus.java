package com.mexcpipe.client.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A deterministic corpus of frames shaped like live MEXC futures traffic, for benchmarks: about 55% full-depth
 * snapshots with 20 levels a side (they dominate real traffic by bytes and count), 30% merged deal arrays of 1–4
 * deals, 10% tickers with all live fields, 5% pongs; symbol-first key order as in recent live frames.
 */
public final class FrameCorpus {
    private FrameCorpus() {
    }

    public static List<String> generate(int frames, long seed) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>(frames);
        double price = 90_000.0;
        long ts = 1_795_300_000_000L;
        long version = 34_716_011_207L;
        for (int i = 0; i < frames; i++) {
            ts += 1 + r.nextInt(40);
            price = Math.max(1, price + (r.nextGaussian() * 2.5));
            int k = r.nextInt(100);
            if (k < 55) {
                out.add(depth(r, price, ts, ++version));
            } else if (k < 85) {
                out.add(deals(r, price, ts));
            } else if (k < 95) {
                out.add(ticker(r, price, ts));
            } else {
                out.add("{\"channel\":\"pong\",\"data\":" + ts + ",\"ts\":" + ts + "}");
            }
        }
        return out;
    }

    static String p(double v) {
        String s = String.format(Locale.ROOT, "%.1f", v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    static String depth(Random r, double mid, long ts, long version) {
        StringBuilder b = new StringBuilder(1024);
        b.append("{\"symbol\":\"BTC_USDT\",\"data\":{\"asks\":[");
        double a = Math.round(mid * 10 + 1) / 10.0;
        for (int l = 0; l < 20; l++) {
            if (l > 0) {
                b.append(',');
            }
            b.append('[').append(p(a + l * 0.1)).append(',').append(1 + r.nextInt(9000)).append(',')
                    .append(1 + r.nextInt(9)).append(']');
        }
        b.append("],\"bids\":[");
        double bid = Math.round(mid * 10) / 10.0;
        for (int l = 0; l < 20; l++) {
            if (l > 0) {
                b.append(',');
            }
            b.append('[').append(p(bid - l * 0.1)).append(',').append(1 + r.nextInt(9000)).append(',')
                    .append(1 + r.nextInt(9)).append(']');
        }
        b.append("],\"version\":").append(version).append(",\"cts\":").append(ts - 3)
                .append("},\"channel\":\"push.depth.full\",\"ts\":").append(ts).append('}');
        return b.toString();
    }

    static String deals(Random r, double mid, long ts) {
        int n = 1 + r.nextInt(4);
        StringBuilder b = new StringBuilder(256);
        b.append("{\"symbol\":\"BTC_USDT\",\"data\":[");
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append("{\"p\":").append(p(mid + r.nextGaussian())).append(",\"v\":").append(1 + r.nextInt(500))
                    .append(",\"T\":").append(1 + r.nextInt(2)).append(",\"O\":").append(1 + r.nextInt(3))
                    .append(",\"M\":").append(1 + r.nextInt(2)).append(",\"t\":").append(ts - r.nextInt(5))
                    .append(",\"i\":\"").append(3_716_011_204L + r.nextInt(1_000_000)).append("\"}");
        }
        b.append("],\"channel\":\"push.deal\",\"ts\":").append(ts).append('}');
        return b.toString();
    }

    static String ticker(Random r, double mid, long ts) {
        return "{\"symbol\":\"BTC_USDT\",\"data\":{\"symbol\":\"BTC_USDT\",\"lastPrice\":" + p(mid) + ",\"riseFallRate\":0.0123,"
                + "\"fairPrice\":" + p(mid + 0.1) + ",\"indexPrice\":" + p(mid - 0.3) + ",\"volume24\":219744563,"
                + "\"amount24\":2674195863.4579798127137243,\"maxBidPrice\":134345.9,\"minAskPrice\":109919.3,"
                + "\"lower24Price\":119707.2,\"high24Price\":122800,\"timestamp\":" + (ts - 1) + ",\"bid1\":" + p(mid)
                + ",\"ask1\":" + p(mid + 0.1) + ",\"holdVol\":" + (102_000_000 + r.nextInt(1_000_000))
                + ",\"riseFallValue\":1487.1,\"fundingRate\":0.0001,\"zone\":\"UTC+8\",\"riseFallRates\":"
                + "[0.0123,0.0045,-0.0270,0.0811]},\"channel\":\"push.ticker\",\"ts\":" + ts + "}";
    }
}
