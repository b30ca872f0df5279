package com.mexcpipe.exporter.parquet;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.mexcpipe.exporter.bench.SyntheticRows;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Ad-hoc: ZSTD level x page size on PLAIN-encoded {@code m} of realistic rows (thread CPU time, compressed size).
 * Not a test: {@code java -cp <test classpath> com.mexcpipe.exporter.parquet.ZstdSweep 300000}.
 */
public final class ZstdSweep {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        int n = Integer.parseInt(args.length > 0 ? args[0] : "300000");
        SyntheticRows rows = SyntheticRows.generate(n, 1, SyntheticRows.DEFAULT_START);
        byte[][] b = new byte[n][];
        for (int i = 0; i < n; i++) {
            b[i] = rows.m(i).getBytes(StandardCharsets.UTF_8);
        }
        int[] levels = {-1, 1, 2, 3, 4};
        int[] pages = {256 << 10, 1 << 20, 4 << 20};
        for (int rep = 0; rep < 3; rep++) {
            for (int page : pages) {
                for (int level : levels) {
                    long c0 = MX.getCurrentThreadCpuTime();
                    long z = run(b, page, level);
                    long c1 = MX.getCurrentThreadCpuTime();
                    System.out.printf(Locale.ROOT, "page %5d KiB level %2d: %.3f s/%d rows, %.2f MB%n", page >> 10,
                            level, (c1 - c0) / 1e9, n, z / 1e6);
                }
            }
        }
    }

    static long run(byte[][] b, int pageSize, int level) {
        byte[] page = new byte[pageSize + 100_000];
        byte[] out = new byte[(int) Zstd.compressBound(page.length)];
        long z = 0;
        try (ZstdCompressCtx ctx = new ZstdCompressCtx()) {
            ctx.setLevel(level);
            int len = 0;
            for (byte[] v : b) {
                if (len + v.length + 4 > pageSize) {
                    z += ctx.compressByteArray(out, 0, out.length, page, 0, len);
                    len = 0;
                }
                page[len] = (byte) v.length;
                page[len + 1] = (byte) (v.length >> 8);
                page[len + 2] = 0;
                page[len + 3] = 0;
                System.arraycopy(v, 0, page, len + 4, v.length);
                len += 4 + v.length;
            }
            z += ctx.compressByteArray(out, 0, out.length, page, 0, len);
        }
        return z;
    }
}
