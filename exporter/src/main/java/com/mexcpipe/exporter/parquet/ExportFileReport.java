package com.mexcpipe.exporter.parquet;

import com.mexcpipe.common.Row;
import com.mexcpipe.common.RowType;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What {@link ParquetExportReader#read} found in an export file. {@link #ok()} is true when the file matches the
 * export schema, has no nulls, no unknown {@code mt}, rows in {@code ts} order, and footer metadata that agrees with
 * the data; otherwise {@link #problems()} says what is wrong, one line each.
 *
 * @param file             the file read
 * @param bytes            its size
 * @param createdBy        the footer's {@code created_by}
 * @param rowGroups        row groups in the file
 * @param codecs           compression codecs of its column chunks (e.g. {@code [ZSTD]})
 * @param rows             rows read (every column chunk read to the end)
 * @param rowsByType       rows by {@code mt}; every {@link RowType} is a key
 * @param unknownMt        rows whose {@code mt} is none of t, d, dp, dl
 * @param nullsByColumn    nulls by column name (ts, mt, m); all 0 in a good file
 * @param minTs            smallest {@code ts} (epoch ms), empty without rows
 * @param maxTs            largest {@code ts} (epoch ms), empty without rows
 * @param keyValueMetadata the footer's key-value metadata (all keys, in file order)
 * @param newestRows       for each {@link RowType} present, its newest rows (largest {@code ts}, later row first on a
 *                         tie), newest first, at most the number asked for
 * @param problems         what is wrong; empty when {@link #ok()}
 */
public record ExportFileReport(Path file, long bytes, String createdBy, int rowGroups, Set<String> codecs,
        long rows, Map<RowType, Long> rowsByType, long unknownMt, Map<String, Long> nullsByColumn,
        OptionalLong minTs, OptionalLong maxTs, Map<String, String> keyValueMetadata,
        Map<RowType, List<Row>> newestRows, List<String> problems) {

    public ExportFileReport {
        EnumMap<RowType, Long> byType = new EnumMap<>(RowType.class);
        for (RowType t : RowType.values()) {
            byType.put(t, rowsByType.getOrDefault(t, 0L));
        }
        rowsByType = Collections.unmodifiableMap(byType);
        codecs = Set.copyOf(codecs);
        nullsByColumn = Collections.unmodifiableMap(new LinkedHashMap<>(nullsByColumn));
        keyValueMetadata = Collections.unmodifiableMap(new LinkedHashMap<>(keyValueMetadata));
        EnumMap<RowType, List<Row>> newest = new EnumMap<>(RowType.class);
        newestRows.forEach((k, v) -> newest.put(k, List.copyOf(v)));
        newestRows = Collections.unmodifiableMap(newest);
        problems = List.copyOf(problems);
    }

    /** True when nothing is wrong with the file. */
    public boolean ok() {
        return problems.isEmpty();
    }

    /** Rows of one type. */
    public long rows(RowType type) {
        return rowsByType.get(type);
    }

    /** Nulls in all columns together. */
    public long nulls() {
        return nullsByColumn.values().stream().mapToLong(Long::longValue).sum();
    }
}
