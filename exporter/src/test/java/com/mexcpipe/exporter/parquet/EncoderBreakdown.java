package com.mexcpipe.exporter.parquet;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.mexcpipe.exporter.bench.SyntheticRows;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Ad-hoc cost breakdown of the single-threaded encoder on N realistic rows (thread CPU time, several rounds): the
 * UTF-8 conversion alone, ZSTD of PLAIN pages alone, the whole {@link RowGroupEncoder}, and the encoder with no
 * compression. Not a test: {@code java -cp <test classpath> com.mexcpipe.exporter.parquet.EncoderBreakdown 1000000 6}.
 */
public final class EncoderBreakdown {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private static final int LEVEL =
            Integer.getInteger("level", ExportWriterOptions.DEFAULT_ZSTD_LEVEL);

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args.length > 0 ? args[0] : "1000000");
        int rounds = Integer.parseInt(args.length > 1 ? args[1] : "5");
        SyntheticRows rows = SyntheticRows.generate(n, 1, SyntheticRows.DEFAULT_START);
        for (int r = 0; r < rounds; r++) {
            long c0 = cpu();
            long sum = 0;
            for (int i = 0; i < n; i++) {
                sum += rows.m(i).getBytes(StandardCharsets.UTF_8).length;
            }
            long c1 = cpu();
            // zstd (the default level, or -Dlevel=N) on 1 MiB pages of PLAIN-encoded m
            byte[] page = new byte[1 << 20];
            byte[] out = new byte[(int) Zstd.compressBound(page.length + 100_000)];
            long zbytes = 0;
            int pages = 0;
            try (ZstdCompressCtx ctx = new ZstdCompressCtx()) {
                ctx.setLevel(LEVEL);
                int len = 0;
                for (int i = 0; i < n; i++) {
                    byte[] b = rows.m(i).getBytes(StandardCharsets.UTF_8);
                    if (len + b.length + 4 > page.length) {
                        zbytes += ctx.compressByteArray(out, 0, out.length, page, 0, len);
                        pages++;
                        len = 0;
                    }
                    page[len] = (byte) b.length;
                    page[len + 1] = (byte) (b.length >> 8);
                    page[len + 2] = 0;
                    page[len + 3] = 0;
                    System.arraycopy(b, 0, page, len + 4, b.length);
                    len += 4 + b.length;
                }
                zbytes += ctx.compressByteArray(out, 0, out.length, page, 0, len);
                pages++;
            }
            long c2 = cpu();
            // full encoder, single thread, one row group per 122880 rows
            ExportWriterOptions o = ExportWriterOptions.defaults().withThreads(1);
            RowGroupEncoder.Config cfg = new RowGroupEncoder.Config(ExportSchema.PARQUET,
                    ParquetExportWriter.properties(o), LEVEL);
            ZstdPageCompressor zc = new ZstdPageCompressor(LEVEL);
            RowGroupEncoder e = null;
            for (int i = 0; i < n; i++) {
                if (e == null) {
                    e = new RowGroupEncoder(cfg, zc);
                }
                e.add(rows.ts(i), rows.mt(i), rows.m(i));
                if (e.rows() == 20_000) {
                    e.finish().close();
                    e = null;
                }
            }
            if (e != null) {
                e.finish().close();
            }
            zc.release();
            long c3 = cpu();
            org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor none =
                    new org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor() {
                        public org.apache.parquet.bytes.BytesInput compress(org.apache.parquet.bytes.BytesInput b) {
                            return b;
                        }

                        public org.apache.parquet.hadoop.metadata.CompressionCodecName getCodecName() {
                            return org.apache.parquet.hadoop.metadata.CompressionCodecName.UNCOMPRESSED;
                        }

                        public void release() {
                        }
                    };
            e = null;
            for (int i = 0; i < n; i++) {
                if (e == null) {
                    e = new RowGroupEncoder(cfg, none);
                }
                e.add(rows.ts(i), rows.mt(i), rows.m(i));
                if (e.rows() == 20_000) {
                    e.finish().close();
                    e = null;
                }
            }
            if (e != null) {
                e.finish().close();
            }
            long c4 = cpu();
            System.out.printf(Locale.ROOT, "getBytes %.3f s (%d MB) | zstd pages %.3f s (%d pages -> %.1f MB) | "
                    + "encoder %.3f s | encoder uncompressed %.3f s%n", (c1 - c0) / 1e9, sum >> 20,
                    (c2 - c1) / 1e9, pages, zbytes / 1e6, (c3 - c2) / 1e9, (c4 - c3) / 1e9);
        }
    }

    private static long cpu() {
        return MX.getCurrentThreadCpuTime();
    }
}
