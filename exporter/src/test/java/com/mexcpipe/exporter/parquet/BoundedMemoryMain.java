package com.mexcpipe.exporter.parquet;

import com.mexcpipe.common.RowType;
import java.nio.file.Path;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Run by {@link BoundedMemoryTest} in a JVM with a small heap: writes {@code rows} rows of ~300 chars generated on
 * the fly (nothing kept by this program), with the default options except {@code threads}. Exit code 0 and a last
 * line {@code rows=<n> bytes=<b>} on success.
 */
public final class BoundedMemoryMain {
    private BoundedMemoryMain() {
    }

    /** A 4th argument overrides chunkRows and chunkBytes (to show that unbounded chunks do not fit). */
    static ExportWriterOptions options(int threads, String[] args) {
        ExportWriterOptions o = ExportWriterOptions.defaults().withThreads(threads);
        if (args.length > 3) {
            o = o.withChunkRows(Integer.parseInt(args[3])).withChunkBytes(Long.MAX_VALUE);
        }
        return o;
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        long rows = Long.parseLong(args[1]);
        int threads = Integer.parseInt(args[2]);
        Instant start = Instant.parse("2026-11-21T14:00:00Z");
        SplittableRandom rnd = new SplittableRandom(5);
        StringBuilder sb = new StringBuilder(512);
        RowType[] types = RowType.values();
        try (ParquetExportWriter w = new ParquetExportWriter(file,
                new ExportMetadata("BTC_USDT", start, start.plusSeconds(3600)),
                options(threads, args))) {
            for (long i = 0; i < rows; i++) {
                sb.setLength(0);
                long p = 1_221_258 + rnd.nextInt(100);
                while (sb.length() < 300) {
                    sb.append('[').append(p / 10).append('.').append(p % 10).append(',')
                            .append(rnd.nextInt(250_000)).append("],");
                    p--;
                }
                w.write(start.toEpochMilli() + i / 1000, types[(int) (i % 4)], sb.toString());
            }
            WriteSummary s = w.finish();
            Runtime rt = Runtime.getRuntime();
            System.out.println("maxHeap=" + rt.maxMemory() + " peakChunks=" + w.peakChunksInFlight());
            System.out.println("rows=" + s.rows() + " bytes=" + s.bytes());
        }
    }
}
