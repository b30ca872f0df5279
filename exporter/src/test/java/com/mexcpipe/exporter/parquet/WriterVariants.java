package com.mexcpipe.exporter.parquet;

import com.mexcpipe.common.RowType;
import com.mexcpipe.exporter.bench.SyntheticRows;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;

/**
 * What each step of the writer's design buys: the same realistic rows written by a sequence of variants, each one
 * change away from the previous, in interleaved rounds in one JVM (one warm-up round first), every write ending with
 * an fsync. Reports wall time, process CPU time and file size. Not a test:
 * {@code java -cp <test classpath> com.mexcpipe.exporter.parquet.WriterVariants [rows] [rounds]}.
 */
public final class WriterVariants {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    interface Variant {
        long write(SyntheticRows rows, Path file) throws Exception;
    }

    private WriterVariants() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args.length > 0 ? args[0] : "1000000");
        int rounds = Integer.parseInt(args.length > 1 ? args[1] : "5");
        SyntheticRows rows = SyntheticRows.generate(n, 1, SyntheticRows.DEFAULT_START);
        Path dir = Files.createTempDirectory("variants");
        Map<String, Variant> variants = new LinkedHashMap<>();
        variants.put("A avro, parquet-mr defaults, zstd 3", (r, f) -> avro(r, f, false));
        variants.put("B A + dictionary only on mt, no m stats", (r, f) -> avro(r, f, true));
        variants.put("C B, direct column writers (no Avro records)", (r, f) -> direct(r, f, false, false, false, 3));
        variants.put("D C + own zstd page compressor", (r, f) -> direct(r, f, true, false, false, 3));
        variants.put("E D + contiguous PLAIN m, no page copy", (r, f) -> direct(r, f, true, true, false, 3));
        variants.put("F E + DELTA_BINARY_PACKED ts", (r, f) -> direct(r, f, true, true, true, 3));
        variants.put("G F + zstd level 1 (= writer, 1 thread)", (r, f) -> ours(r, f, 1));
        variants.put("H G + 2 encoder threads (= writer default)", (r, f) -> ours(r, f, 2));

        Map<String, List<double[]>> results = new LinkedHashMap<>();
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (int round = 0; round <= rounds; round++) {
            for (Map.Entry<String, Variant> v : variants.entrySet()) {
                Path file = dir.resolve("v.parquet");
                Files.deleteIfExists(file);
                long c0 = OS.getProcessCpuTime();
                long t0 = System.nanoTime();
                long bytes = v.getValue().write(rows, file);
                double wall = (System.nanoTime() - t0) / 1e9;
                double cpu = (OS.getProcessCpuTime() - c0) / 1e9;
                Files.deleteIfExists(file);
                if (round > 0) {
                    results.computeIfAbsent(v.getKey(), k -> new ArrayList<>()).add(new double[] {wall, cpu});
                    sizes.put(v.getKey(), bytes);
                }
                System.out.printf(Locale.ROOT, "%s %-46s %.3f s, cpu %.3f s, %,d bytes%n",
                        round == 0 ? "warm-up" : "round " + round, v.getKey(), wall, cpu, bytes);
            }
        }
        Files.deleteIfExists(dir);
        System.out.printf(Locale.ROOT, "%n%,d rows, %d rounds, %s, %d cpus%n", n, rounds, Runtime.version(),
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%-46s %8s %8s %8s %8s %12s%n", "variant", "wall min", "wall med", "cpu min",
                "cpu med", "bytes");
        for (String k : results.keySet()) {
            List<Double> w = new ArrayList<>();
            List<Double> c = new ArrayList<>();
            results.get(k).forEach(x -> {
                w.add(x[0]);
                c.add(x[1]);
            });
            System.out.printf(Locale.ROOT, "%-46s %8.3f %8.3f %8.3f %8.3f %,12d%n", k, Collections.min(w), median(w),
                    Collections.min(c), median(c), sizes.get(k));
        }
    }

    static long avro(SyntheticRows rows, Path file, boolean tuned) throws Exception {
        Schema schema = ExportSchema.avro();
        AvroParquetWriter.Builder<GenericRecord> b = AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
                .withSchema(schema)
                .withConf(new PlainParquetConfiguration())
                .withCompressionCodec(CompressionCodecName.ZSTD)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE);
        if (tuned) {
            b.withDictionaryEncoding(false).withDictionaryEncoding("mt", true).withStatisticsEnabled("m", false);
        }
        try (ParquetWriter<GenericRecord> w = b.build()) {
            GenericData.Record rec = new GenericData.Record(schema);
            for (int i = 0; i < rows.size(); i++) {
                rec.put(0, rows.ts(i));
                rec.put(1, rows.mt(i).label());
                rec.put(2, rows.m(i));
                w.write(rec);
            }
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        return Files.size(file);
    }

    /** The writer's single-threaded path, with parts swapped back to parquet-mr's. */
    static long direct(SyntheticRows rows, Path file, boolean ownCompressor, boolean ownPlain, boolean deltaTs,
            int level) throws Exception {
        ExportWriterOptions o = ExportWriterOptions.defaults().withThreads(1).withZstdLevel(level)
                .withDeltaTs(deltaTs);
        ParquetProperties props = ownPlain ? ParquetExportWriter.properties(o)
                : ParquetProperties.builder()
                        .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
                        .withPageSize(o.pageSize())
                        .withDictionaryPageSize(o.pageSize())
                        .withDictionaryEncoding(false)
                        .withDictionaryEncoding(ExportSchema.MT, true)
                        .withStatisticsEnabled(ExportSchema.M, false)
                        .withPageWriteChecksumEnabled(true)
                        .build();
        RowGroupEncoder.Config config = new RowGroupEncoder.Config(ExportSchema.PARQUET, props, level);
        CodecFactory codecs = new CodecFactory(new PlainParquetConfiguration(), o.pageSize());
        BytesInputCompressor compressor = ownCompressor ? new ZstdPageCompressor(level)
                : codecs.getCompressor(CompressionCodecName.ZSTD, level);
        FsyncOutputFile out = new FsyncOutputFile(file);
        ParquetFileWriter fw = new ParquetFileWriter(out, ExportSchema.PARQUET, ParquetFileWriter.Mode.CREATE,
                o.chunkBytes(), 0, props.getColumnIndexTruncateLength(), props.getStatisticsTruncateLength(), true);
        fw.start();
        RowGroupEncoder e = null;
        long bytes = 0;
        for (int i = 0; i < rows.size(); i++) {
            if (e == null) {
                e = new RowGroupEncoder(config, compressor);
                bytes = 0;
            }
            String m = rows.m(i);
            e.add(rows.ts(i), rows.mt(i), m);
            bytes += m.length() + 16;
            if (e.rows() >= o.chunkRows() || bytes >= o.chunkBytes()) {
                e.finish().appendTo(fw);
                e.close();
                e = null;
            }
        }
        if (e != null) {
            e.finish().appendTo(fw);
            e.close();
        }
        fw.end(Map.of());
        compressor.release();
        codecs.release();
        return Files.size(file);
    }

    static long ours(SyntheticRows rows, Path file, int threads) throws Exception {
        try (ParquetExportWriter w = new ParquetExportWriter(file, ParquetRoundTripTest.META,
                ExportWriterOptions.defaults().withThreads(threads))) {
            for (int i = 0; i < rows.size(); i++) {
                RowType t = rows.mt(i);
                w.write(rows.ts(i), t, rows.m(i));
            }
            return w.finish().bytes();
        }
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        int k = s.size();
        return k % 2 == 1 ? s.get(k / 2) : (s.get(k / 2 - 1) + s.get(k / 2)) / 2;
    }
}
