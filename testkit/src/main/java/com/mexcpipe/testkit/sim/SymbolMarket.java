package com.mexcpipe.testkit.sim;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One symbol's simulated market: a mean-reverting random walk of the price in ticks, 24 h statistics, funding, trade
 * ids and the book version, and the text of its push frames. Used by the pusher thread only (not thread-safe).
 */
final class SymbolMarket {
    private static final Map<String, BigDecimal> KNOWN_STARTS = Map.of(
            "BTC_USDT", new BigDecimal("90000.0"),
            "ETH_USDT", new BigDecimal("3000.00"),
            "SOL_USDT", new BigDecimal("150.00"),
            "BNB_USDT", new BigDecimal("600.00"),
            "XRP_USDT", new BigDecimal("2.0000"),
            "DOGE_USDT", new BigDecimal("0.20000"));

    private static final String[][] ENVELOPE_ORDERS = {
        {"channel", "data", "symbol", "ts"},   // MEXC's documented order
        {"symbol", "data", "channel", "ts"},   // live since 2024
        {"symbol", "channel", "ts", "data"},
        {"channel", "symbol", "data", "ts"},
        {"ts", "channel", "data", "symbol"},
    };
    private static final int[] ENVELOPE_WEIGHTS = {40, 30, 10, 12, 8};

    private static final List<String> TICKER_DOC_ORDER = List.of("ask1", "bid1", "contractId", "fairPrice", "fundingRate",
            "high24Price", "indexPrice", "lastPrice", "lower24Price", "maxBidPrice", "minAskPrice", "riseFallRate",
            "riseFallValue", "symbol", "timestamp", "holdVol", "volume24", "amount24", "zone", "riseFallRates",
            "riseFallRatesOfTimezone");
    private static final List<String> TICKER_LIVE_ORDER = List.of("contractId", "symbol", "lastPrice", "riseFallRate",
            "fairPrice", "indexPrice", "volume24", "amount24", "maxBidPrice", "minAskPrice", "lower24Price",
            "high24Price", "timestamp", "bid1", "ask1", "holdVol", "riseFallValue", "fundingRate", "zone", "riseFallRates",
            "riseFallRatesOfTimezone");

    private static final String[] DEAL_ORDER_LIVE = {"p", "v", "T", "O", "M", "t", "i", "cts"};
    private static final String[] DEAL_ORDER_ALPHA = {"M", "O", "T", "cts", "i", "p", "t", "v"};

    private static final String[][] DEPTH_DATA_ORDERS = {
        {"asks", "bids", "version", "cts"},
        {"cts", "asks", "bids", "version"},
        {"bids", "asks", "cts", "version"},
        {"asks", "cts", "bids", "version"},
    };

    /** Depth levels generated per side (the largest {@code limit}). */
    static final int MAX_LEVELS = 20;

    final String symbol;
    private final int scale;
    private final int contractId;
    private final SplittableRandom r;
    private final SimOptions opt;
    private final double startTicks;
    private double midTicks;
    private long lastTicks;
    private final long open24;
    private long high24;
    private long low24;
    private long fundingMicros = 100;
    private boolean fundingZero;
    private long holdVol;
    private long volume24;
    private long version;
    private long tradeId;
    private long lastTickerTs;
    private long lastDepthCts;

    SymbolMarket(String symbol, BigDecimal start, long seed, SimOptions opt) {
        this.symbol = symbol;
        this.opt = opt;
        this.r = new SplittableRandom(seed ^ symbol.hashCode() * 0x9E3779B97F4A7C15L);
        this.scale = Math.max(start.scale(), 0);
        this.startTicks = Math.max(10, start.movePointRight(scale).doubleValue());
        this.midTicks = startTicks;
        this.lastTicks = Math.round(midTicks);
        this.open24 = Math.round(startTicks * (0.99 + r.nextDouble() * 0.02));
        this.high24 = Math.max(open24, lastTicks) + Math.round(startTicks * 0.01);
        this.low24 = Math.min(open24, lastTicks) - Math.round(startTicks * 0.01);
        this.contractId = symbol.equals("BTC_USDT") ? 10 : 1 + Math.floorMod(symbol.hashCode(), 2000);
        this.holdVol = 1_000_000 + r.nextLong(9_000_000);
        this.volume24 = 10_000_000 + r.nextLong(90_000_000);
        this.version = 10_000_000 + r.nextLong(90_000_000_000L);
        this.tradeId = 1_000_000_000L + r.nextLong(9_000_000_000L);
    }

    /** Start price of a symbol when none was configured: majors near their real level, others from the name. */
    static BigDecimal defaultStart(String symbol) {
        BigDecimal known = KNOWN_STARTS.get(symbol);
        if (known != null) {
            return known;
        }
        return BigDecimal.valueOf(1000 + Math.floorMod(symbol.hashCode(), 500_000), 3);
    }

    // ---------------------------------------------------------------- model

    private void step() {
        midTicks *= 1 + 1e-4 * r.nextGaussian();
        midTicks += 0.002 * (startTicks - midTicks);
        if (midTicks < 10) {
            midTicks = 10;
        }
    }

    private String px(long ticks) {
        return Num.price(ticks, scale, r, false);
    }

    private String depthPx(long ticks) {
        return Num.price(ticks, scale, r, opt.exponentNumbers());
    }

    private long volume() {
        return 1 + (long) Math.exp(r.nextDouble() * 9);
    }

    private JsonOut.Style style() {
        if (!opt.whitespaceVariation() || r.nextInt(8) != 0) {
            return JsonOut.Style.COMPACT;
        }
        JsonOut.Style[] others = {JsonOut.Style.SPACED, JsonOut.Style.PRETTY2, JsonOut.Style.PRETTY4, JsonOut.Style.TABS};
        return others[r.nextInt(others.length)];
    }

    private int envelopeOrder() {
        int dice = r.nextInt(100);
        for (int i = 0; i < ENVELOPE_WEIGHTS.length; i++) {
            dice -= ENVELOPE_WEIGHTS[i];
            if (dice < 0) {
                return i;
            }
        }
        return 0;
    }

    private String envelope(Channel c, String data, long ts, int order, JsonOut.Style style) {
        JsonOut o = new JsonOut(style, data.length() + 96);
        o.beginObject();
        for (String key : ENVELOPE_ORDERS[order]) {
            switch (key) {
                case "channel" -> o.name("channel").str(c.pushChannel());
                case "data" -> o.name("data").raw(data);
                case "symbol" -> o.name("symbol").str(symbol);
                default -> o.name("ts").num(ts);
            }
        }
        return o.endObject().toString();
    }

    // ---------------------------------------------------------------- ticker

    Frame ticker(long now) {
        long timestamp = Math.min(now, Math.max(lastTickerTs, now - r.nextInt(40)));
        lastTickerTs = timestamp;
        long bid1 = Math.round(midTicks) - r.nextInt(2);
        long ask1 = bid1 + 1 + (r.nextInt(5) == 0 ? r.nextInt(3) : 0);
        long fair = lastTicks + r.nextInt(-3, 4);
        long index = lastTicks + r.nextInt(-6, 7);
        if (r.nextInt(60) == 0) {
            fundingZero = !fundingZero;
        }
        if (!fundingZero) {
            fundingMicros = Math.max(-750, Math.min(750, fundingMicros + r.nextInt(-2, 3)));
        }
        holdVol = Math.max(1000, holdVol + r.nextInt(-500, 501));
        BigDecimal rfr = BigDecimal.valueOf(lastTicks - open24).divide(BigDecimal.valueOf(open24), 4, RoundingMode.HALF_UP);

        Map<String, String> f = new LinkedHashMap<>(32);
        f.put("ask1", px(ask1));
        f.put("bid1", px(bid1));
        if (r.nextInt(10) != 0) {
            f.put("contractId", Integer.toString(contractId));
        }
        f.put("fairPrice", px(fair));
        f.put("fundingRate", fundingText());
        f.put("high24Price", px(high24));
        f.put("indexPrice", px(index));
        f.put("lastPrice", px(lastTicks));
        f.put("lower24Price", px(low24));
        f.put("maxBidPrice", px(Math.round(index * 1.03)));
        f.put("minAskPrice", px(Math.round(index * 0.97)));
        f.put("riseFallRate", rfr.toPlainString());
        f.put("riseFallValue", px(lastTicks - open24));
        f.put("symbol", "\"" + symbol + "\"");
        f.put("timestamp", Long.toString(timestamp));
        f.put("holdVol", Long.toString(holdVol));
        f.put("volume24", Long.toString(volume24));
        f.put("amount24", amount24());
        f.put("zone", "\"UTC+8\"");
        f.put("riseFallRates", riseFallRates(rfr));
        f.put("riseFallRatesOfTimezone", "[" + rate() + "," + rate() + "," + rfr.toPlainString() + "]");

        List<String> order;
        int dice = r.nextInt(100);
        if (dice < 45) {
            order = TICKER_DOC_ORDER;
        } else if (dice < 90) {
            order = TICKER_LIVE_ORDER;
        } else {
            order = new ArrayList<>(TICKER_DOC_ORDER);
            shuffle(order);
        }
        JsonOut.Style style = style();
        JsonOut d = new JsonOut(style == JsonOut.Style.SPACED ? style : JsonOut.Style.COMPACT, 640);
        d.beginObject();
        for (String k : order) {
            String v = f.get(k);
            if (v != null) {
                d.name(k).raw(v);
            }
        }
        d.endObject();
        return new Frame(Channel.TICKER, symbol, 1, now, envelope(Channel.TICKER, d.toString(), now, envelopeOrder(), style));
    }

    private String fundingText() {
        if (fundingZero || fundingMicros == 0) {
            return "0";
        }
        BigDecimal v = BigDecimal.valueOf(fundingMicros, 6);
        return r.nextInt(5) == 0 ? v.toPlainString() : Num.minimal(v);
    }

    private String amount24() {
        long intPart = Math.max(1, volume24 / 7 + r.nextInt(1000));
        StringBuilder b = new StringBuilder(40).append(intPart).append('.');
        for (int i = 0; i < 15; i++) {
            b.append((char) ('0' + r.nextInt(10)));
        }
        return b.append((char) ('1' + r.nextInt(9))).toString();
    }

    private String rate() {
        return BigDecimal.valueOf(r.nextInt(-3000, 3001), 4).toPlainString();
    }

    private String riseFallRates(BigDecimal rfr) {
        String v = px(lastTicks - open24);
        if (r.nextInt(10) < 3) {
            return "[" + rfr.toPlainString() + "," + v + "," + rate() + "," + rate() + "]";
        }
        return "{\"zone\":\"UTC+8\",\"r\":" + rfr.toPlainString() + ",\"v\":" + v + ",\"r7\":" + rate() + ",\"r30\":"
                + rate() + ",\"r90\":" + rate() + ",\"r180\":" + rate() + ",\"r365\":" + rate() + "}";
    }

    // ---------------------------------------------------------------- deal

    Frame deal(long now) {
        int dice = r.nextInt(100);
        int k = dice < 70 ? 1 : dice < 90 ? 2 : 3 + r.nextInt(3);
        boolean objectForm = opt.dealObjectProbability() > 0 && r.nextDouble() < opt.dealObjectProbability();
        if (objectForm) {
            k = 1;
        }
        JsonOut.Style style = style();
        JsonOut d = new JsonOut(style == JsonOut.Style.SPACED ? style : JsonOut.Style.COMPACT, 120 * k);
        if (!objectForm) {
            d.beginArray();
        }
        for (int n = 0; n < k; n++) {
            step();
            long p = Math.round(midTicks) + r.nextInt(-1, 2);
            long v = volume();
            long t = now - r.nextInt(50);
            lastTicks = p;
            high24 = Math.max(high24, p);
            low24 = Math.min(low24, p);
            volume24 += v;
            dealItem(d, p, v, t, now, objectForm);
        }
        if (!objectForm) {
            d.endArray();
        }
        return new Frame(Channel.DEAL, symbol, k, now, envelope(Channel.DEAL, d.toString(), now, envelopeOrder(), style));
    }

    private void dealItem(JsonOut d, long p, long v, long t, long now, boolean old) {
        boolean withI = !old && r.nextInt(10) < 8;
        boolean withCts = !old && r.nextInt(10) < 6;
        long id = ++tradeId;
        long cts = Math.min(now, t + r.nextInt(3));
        String[] order;
        int dice = r.nextInt(100);
        if (dice < 50) {
            order = DEAL_ORDER_LIVE;
        } else if (dice < 80) {
            order = DEAL_ORDER_ALPHA;
        } else {
            List<String> l = new ArrayList<>(List.of(DEAL_ORDER_LIVE));
            shuffle(l);
            order = l.toArray(new String[0]);
        }
        d.beginObject();
        for (String key : order) {
            switch (key) {
                case "p" -> d.name("p").raw(px(p));
                case "v" -> d.name("v").num(v);
                case "T" -> d.name("T").num(1 + r.nextInt(2));
                case "O" -> d.name("O").num(1 + r.nextInt(3));
                case "M" -> d.name("M").num(r.nextInt(10) == 0 ? 1 : 2);
                case "t" -> d.name("t").num(t);
                case "i" -> {
                    if (withI) {
                        if (r.nextInt(4) == 0) {
                            d.name("i").str(Long.toString(id));
                        } else {
                            d.name("i").num(id);
                        }
                    }
                }
                default -> {
                    if (withCts) {
                        if (r.nextInt(4) == 0) {
                            d.name("cts").str(Long.toString(cts));
                        } else {
                            d.name("cts").num(cts);
                        }
                    }
                }
            }
        }
        d.endObject();
    }

    // ---------------------------------------------------------------- depth

    /** One depth snapshot; its frame text is made per requested {@code limit} (same book, version and shape). */
    final class DepthBook {
        private final long ts;
        private final long ver;
        private final long cts;
        private final String[] bids;
        private final String[] asks;
        private final int envOrder;
        private final int dataOrder;
        private final JsonOut.Style style;
        private final Frame[] byLimit = new Frame[MAX_LEVELS + 1];

        private DepthBook(long ts, long ver, long cts, String[] bids, String[] asks) {
            this.ts = ts;
            this.ver = ver;
            this.cts = cts;
            this.bids = bids;
            this.asks = asks;
            this.envOrder = envelopeOrder();
            this.dataOrder = r.nextInt(DEPTH_DATA_ORDERS.length);
            this.style = style();
        }

        Frame frame(int limit) {
            int lim = Math.max(1, Math.min(MAX_LEVELS, limit));
            Frame f = byLimit[lim];
            if (f == null) {
                JsonOut d = new JsonOut(style == JsonOut.Style.SPACED ? style : JsonOut.Style.COMPACT, 40 * 2 * lim + 64);
                d.beginObject();
                for (String key : DEPTH_DATA_ORDERS[dataOrder]) {
                    switch (key) {
                        case "asks" -> side(d.name("asks"), asks, lim);
                        case "bids" -> side(d.name("bids"), bids, lim);
                        case "version" -> d.name("version").num(ver);
                        default -> d.name("cts").num(cts);
                    }
                }
                d.endObject();
                f = new Frame(Channel.DEPTH, symbol, 1, ts, envelope(Channel.DEPTH, d.toString(), ts, envOrder, style));
                byLimit[lim] = f;
            }
            return f;
        }

        private void side(JsonOut d, String[] levels, int lim) {
            d.beginArray();
            for (int i = 0; i < Math.min(lim, levels.length); i++) {
                d.raw(levels[i]);
            }
            d.endArray();
        }
    }

    DepthBook depth(long now) {
        step();
        version += 1 + r.nextInt(30);
        long cts = Math.min(now, Math.max(lastDepthCts, now - r.nextInt(20)));
        lastDepthCts = cts;
        double pe = opt.emptyDepthSideProbability();
        boolean noBids = pe > 0 && r.nextDouble() < pe;
        boolean noAsks = pe > 0 && r.nextDouble() < pe;
        long bestBid = Math.round(midTicks) - r.nextInt(2);
        long bestAsk = bestBid + 1 + (r.nextInt(4) == 0 ? r.nextInt(1, 4) : 0);
        String sep = r.nextInt(20) == 0 ? ", " : ",";
        String[] bids = noBids ? new String[0] : levels(bestBid, -1, sep);
        String[] asks = noAsks ? new String[0] : levels(bestAsk, +1, sep);
        return new DepthBook(now, version, cts, bids, asks);
    }

    private String[] levels(long best, int dir, String sep) {
        String[] out = new String[MAX_LEVELS];
        long p = best;
        for (int i = 0; i < MAX_LEVELS; i++) {
            if (p <= 0) {
                return java.util.Arrays.copyOf(out, i);
            }
            out[i] = "[" + depthPx(p) + sep + volume() + sep + (1 + r.nextInt(60)) + "]";
            p += dir * (r.nextInt(10) < 7 ? 1 : 2 + r.nextInt(4));
        }
        return out;
    }

    private <T> void shuffle(List<T> l) {
        for (int i = l.size() - 1; i > 0; i--) {
            Collections.swap(l, i, r.nextInt(i + 1));
        }
    }
}
