package com.mexcpipe.exporter.parquet;

import com.mexcpipe.common.RowType;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What {@link ParquetExportWriter#finish()} wrote.
 *
 * @param file      the file written (closed and fsynced)
 * @param rowsByType rows by {@code mt}; every {@link RowType} is a key (0 when absent); unmodifiable
 * @param rows      total rows
 * @param minTs     smallest {@code ts} (epoch ms), empty when there are no rows
 * @param maxTs     largest {@code ts} (epoch ms), empty when there are no rows
 * @param bytes     the file's size in bytes
 * @param rowGroups row groups in the file
 * @param nanos     wall time from construction to the end of {@code finish()} (including fsync)
 */
public record WriteSummary(Path file, Map<RowType, Long> rowsByType, long rows, OptionalLong minTs,
        OptionalLong maxTs, long bytes, int rowGroups, long nanos) {

    public WriteSummary {
        EnumMap<RowType, Long> copy = new EnumMap<>(RowType.class);
        for (RowType t : RowType.values()) {
            copy.put(t, rowsByType.getOrDefault(t, 0L));
        }
        rowsByType = Collections.unmodifiableMap(copy);
    }

    /** Rows of one type. */
    public long rows(RowType type) {
        return rowsByType.get(type);
    }
}
