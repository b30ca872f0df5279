package com.mexcpipe.testkit.soak;

import com.mexcpipe.common.Row;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Zero-loss bookkeeping as multisets: {@code lost} = rows sent but found fewer times than sent; {@code duplicated}
 * = rows found more often than sent (identical rows are legitimate, so counts, not sets, are compared).
 */
public record Accounting(long sent, long found, long lost, long duplicated) {
    public boolean exact() {
        return lost == 0 && duplicated == 0;
    }

    public static Accounting of(List<Row> sent, List<Row> found) {
        Map<Row, Long> left = new HashMap<>();
        for (Row r : found) {
            left.merge(r, 1L, Long::sum);
        }
        long lost = 0;
        for (Row r : sent) {
            if (left.merge(r, -1L, Long::sum) < 0) {
                lost++;
                left.put(r, 0L);
            }
        }
        long dup = left.values().stream().mapToLong(Long::longValue).filter(n -> n > 0).sum();
        return new Accounting(sent.size(), found.size(), lost, dup);
    }
}
