package com.mexcpipe.testkit.sim;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/** Texts of the malformed frames (thread-safe: a synchronized random). */
final class Malformed {
    private final SplittableRandom r;

    Malformed(long seed) {
        this.r = new SplittableRandom(seed ^ 0x5DEECE66DL);
    }

    /** The text of one malformed frame of {@code kind} about {@code symbol} (for BINARY_GARBAGE: see {@link #binary}). */
    synchronized String text(MalformedKind kind, String symbol, long now) {
        return switch (kind) {
            case TRUNCATED_JSON -> {
                String full = "{\"channel\":\"push.ticker\",\"data\":{\"ask1\":90000.5,\"bid1\":90000.4,\"fairPrice\":90000.6,"
                        + "\"fundingRate\":0.0001,\"holdVol\":2284742,\"indexPrice\":90001.2,\"lastPrice\":90000.5,\"symbol\":\""
                        + symbol + "\",\"timestamp\":" + now + ",\"volume24\":164586129},\"symbol\":\"" + symbol + "\",\"ts\":"
                        + now + "}";
                yield full.substring(0, 10 + r.nextInt(full.length() - 20));
            }
            case GARBAGE_TEXT -> switch (r.nextInt(4)) {
                case 0 -> "<html><body>502 Bad Gateway</body></html>";
                case 1 -> "garbage \u00e9\u00e8 ~~ " + Long.toHexString(r.nextLong());
                case 2 -> "}{";
                default -> "";
            };
            case WRONG_TYPES -> switch (r.nextInt(3)) {
                case 0 -> "{\"channel\":\"push.deal\",\"data\":[{\"p\":\"abc\",\"v\":null,\"T\":3,\"O\":1,\"M\":2,\"t\":\"yesterday\"}],"
                        + "\"symbol\":\"" + symbol + "\",\"ts\":" + now + "}";
                case 1 -> "{\"channel\":\"push.ticker\",\"data\":{\"lastPrice\":\"high\",\"fairPrice\":[],\"indexPrice\":true,"
                        + "\"fundingRate\":{},\"holdVol\":\"x\",\"symbol\":\"" + symbol + "\",\"timestamp\":" + now + "},"
                        + "\"symbol\":\"" + symbol + "\",\"ts\":" + now + "}";
                default -> "{\"channel\":\"push.depth.full\",\"data\":{\"asks\":[[\"x\",1,1]],\"bids\":\"none\",\"version\":\"v\"},"
                        + "\"symbol\":\"" + symbol + "\",\"ts\":\"" + now + "\"}";
            };
            case UNKNOWN_CHANNEL -> "{\"channel\":\"push.kline\",\"data\":{\"a\":233.740269343644737245,\"c\":90000.5,"
                    + "\"h\":90012.5,\"interval\":\"Min60\",\"l\":89990.5,\"o\":90001,\"q\":3.5,\"symbol\":\"" + symbol
                    + "\",\"t\":" + (now / 1000) + "},\"symbol\":\"" + symbol + "\",\"ts\":" + now + "}";
            case INCREMENTAL_DEPTH -> "{\"channel\":\"push.depth\",\"data\":{\"asks\":[[90001.5,0,0]],\"bids\":[[90000.1,12,1]],"
                    + "\"version\":" + (96801927 + r.nextInt(1000)) + "},\"symbol\":\"" + symbol + "\",\"ts\":" + now + "}";
            case BINARY_GARBAGE -> new String(binary(), StandardCharsets.ISO_8859_1);
        };
    }

    /** Bytes that are neither gzip nor UTF-8 JSON. */
    synchronized byte[] binary() {
        byte[] b = new byte[8 + r.nextInt(24)];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        b[0] = (byte) 0x8B; // never the gzip magic 1f 8b
        return b;
    }
}
