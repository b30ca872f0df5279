package com.mexcpipe.exporter.parquet;

import com.mexcpipe.exporter.ExporterVersion;
import java.util.Objects;

/**
 * Tuning of {@link ParquetExportWriter}. {@link #defaults()} is what the export uses; the other values exist for
 * benchmarks and tests.
 *
 * @param threads    encoder threads; 1 = single-threaded path (default: available processors, at most 8)
 * @param chunkRows  most rows in one row group (default 122,880, DuckDB's row group size)
 * @param chunkBytes about the most input text (sum of {@code m} lengths + 16 per row) in one row group (default
 *                   16 MiB); with {@code threads} this bounds the writer's memory
 * @param pageSize   target uncompressed page size in bytes (default 1 MiB)
 * @param zstdLevel  ZSTD level (default 1; parquet-mr and DuckDB default to 3: here slower and not smaller)
 * @param deltaTs    encode {@code ts} as DELTA_BINARY_PACKED instead of PLAIN (default true)
 * @param overwrite  replace an existing file (default false: refuse)
 * @param producer   the {@code mexc.producer} value (default {@code mexc-pipe <version>})
 */
public record ExportWriterOptions(int threads, int chunkRows, long chunkBytes, int pageSize, int zstdLevel,
        boolean deltaTs, boolean overwrite, String producer) {
    public static final int DEFAULT_CHUNK_ROWS = 122_880;
    public static final long DEFAULT_CHUNK_BYTES = 16L << 20;
    public static final int DEFAULT_PAGE_SIZE = 1 << 20;
    /** Level 1: on this data both faster and smaller than 3 (BENCHMARKS.md, "Parquet export writer"). */
    public static final int DEFAULT_ZSTD_LEVEL = 1;

    public ExportWriterOptions {
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("threads must be 1..64: " + threads);
        }
        if (chunkRows < 1) {
            throw new IllegalArgumentException("chunkRows must be positive: " + chunkRows);
        }
        if (chunkBytes < 1) {
            throw new IllegalArgumentException("chunkBytes must be positive: " + chunkBytes);
        }
        if (pageSize < 1024) {
            throw new IllegalArgumentException("pageSize must be at least 1024: " + pageSize);
        }
        if (zstdLevel < -7 || zstdLevel > 22) {
            throw new IllegalArgumentException("zstdLevel must be -7..22: " + zstdLevel);
        }
        Objects.requireNonNull(producer, "producer");
    }

    public static ExportWriterOptions defaults() {
        int cpus = Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
        return new ExportWriterOptions(cpus, DEFAULT_CHUNK_ROWS, DEFAULT_CHUNK_BYTES, DEFAULT_PAGE_SIZE,
                DEFAULT_ZSTD_LEVEL, true, false, ExporterVersion.producer());
    }

    public ExportWriterOptions withThreads(int n) {
        return new ExportWriterOptions(n, chunkRows, chunkBytes, pageSize, zstdLevel, deltaTs, overwrite, producer);
    }

    public ExportWriterOptions withChunkRows(int n) {
        return new ExportWriterOptions(threads, n, chunkBytes, pageSize, zstdLevel, deltaTs, overwrite, producer);
    }

    public ExportWriterOptions withChunkBytes(long n) {
        return new ExportWriterOptions(threads, chunkRows, n, pageSize, zstdLevel, deltaTs, overwrite, producer);
    }

    public ExportWriterOptions withPageSize(int n) {
        return new ExportWriterOptions(threads, chunkRows, chunkBytes, n, zstdLevel, deltaTs, overwrite, producer);
    }

    public ExportWriterOptions withZstdLevel(int n) {
        return new ExportWriterOptions(threads, chunkRows, chunkBytes, pageSize, n, deltaTs, overwrite, producer);
    }

    public ExportWriterOptions withDeltaTs(boolean b) {
        return new ExportWriterOptions(threads, chunkRows, chunkBytes, pageSize, zstdLevel, b, overwrite, producer);
    }

    public ExportWriterOptions withOverwrite(boolean b) {
        return new ExportWriterOptions(threads, chunkRows, chunkBytes, pageSize, zstdLevel, deltaTs, b, producer);
    }

    public ExportWriterOptions withProducer(String p) {
        return new ExportWriterOptions(threads, chunkRows, chunkBytes, pageSize, zstdLevel, deltaTs, overwrite, p);
    }
}
