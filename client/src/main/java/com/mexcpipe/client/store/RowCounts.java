package com.mexcpipe.client.store;

import com.mexcpipe.common.RowType;
import java.util.Map;

/** Rows by {@code mt}; immutable. */
public record RowCounts(long t, long d, long dp, long dl) {
    public static final RowCounts ZERO = new RowCounts(0, 0, 0, 0);

    static RowCounts of(long[] byCode) {
        return new RowCounts(byCode[RowType.TICKER.code()], byCode[RowType.DEAL.code()], byCode[RowType.DEPTH.code()],
                byCode[RowType.RAW.code()]);
    }

    public long total() {
        return t + d + dp + dl;
    }

    public long get(RowType type) {
        return switch (type) {
            case TICKER -> t;
            case DEAL -> d;
            case DEPTH -> dp;
            case RAW -> dl;
        };
    }

    public Map<String, Long> byLabel() {
        Map<String, Long> m = new java.util.LinkedHashMap<>();
        for (RowType type : RowType.values()) {
            m.put(type.label(), get(type));
        }
        return m;
    }

}
