package com.mexcpipe.exporter.parquet;

import java.time.Instant;
import java.util.Objects;

/**
 * What an export file is about; written into its footer as {@code mexc.symbol}, {@code mexc.period.start} and
 * {@code mexc.period.end} (ISO-8601 UTC).
 *
 * @param symbol      e.g. {@code BTC_USDT}
 * @param periodStart inclusive start of the hour the rows were received in
 * @param periodEnd   exclusive end of that period
 */
public record ExportMetadata(String symbol, Instant periodStart, Instant periodEnd) {
    public ExportMetadata {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(periodStart, "periodStart");
        Objects.requireNonNull(periodEnd, "periodEnd");
        if (symbol.isBlank()) {
            throw new IllegalArgumentException("symbol is blank");
        }
        if (periodEnd.isBefore(periodStart)) {
            throw new IllegalArgumentException("period end " + periodEnd + " is before its start " + periodStart);
        }
    }
}
