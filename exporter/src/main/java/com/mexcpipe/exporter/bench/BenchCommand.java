package com.mexcpipe.exporter.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mexcpipe.common.cli.Command;
import com.mexcpipe.common.cli.ExitCodes;
import com.mexcpipe.exporter.parquet.ExportFileReport;
import com.mexcpipe.exporter.parquet.ExportMetadata;
import com.mexcpipe.exporter.parquet.ParquetExportReader;
import com.mexcpipe.exporter.parquet.ExportWriterOptions;
import com.mexcpipe.exporter.parquet.ParquetExportWriter;
import com.mexcpipe.exporter.parquet.WriteSummary;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code exporter.jar bench}: writes N generated rows ({@link SyntheticRows}) through the export's
 * {@link ParquetExportWriter} and times it. The rows are generated in memory first; only the write is timed (from
 * opening the file to the end of {@code finish()}, fsync included). {@code --warmup} untimed writes come first (the
 * exporter is a long-running JVM, so its hourly export runs compiled code; {@code --warmup 0} shows a cold start).
 * Human lines first, then exactly one JSON line {@code {"rows":…,"seconds":…,"bytes":…,"file":"…"}} (seconds: the
 * median of the timed runs) as the last line of stdout.
 */
@CommandLine.Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time the Parquet export writer on N generated realistic rows.")
public final class BenchCommand extends Command {
    @Spec
    CommandSpec spec;

    @Option(names = "--rows", required = true, description = "Rows to generate and write.")
    int rows;

    @Option(names = "--out", required = true, description = "Directory for the file (created if missing).")
    Path out;

    @Option(names = "--seed", defaultValue = "1", description = "Generator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--warmup", defaultValue = "2",
            description = "Untimed writes first, so the timed ones run JIT-compiled code as a long-running exporter "
                    + "does (default: ${DEFAULT-VALUE}; 0 times a cold JVM).")
    int warmup;

    @Option(names = "--runs", defaultValue = "3",
            description = "Timed writes; the JSON line reports their median (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--depth-changes", defaultValue = "0",
            description = "Order-book volumes changed per dp row (0 = 1..4 at random; more = less compressible).")
    int depthChanges;

    @Option(names = "--threads", description = "Encoder threads, 1 = single-threaded (default: available cores).")
    Integer threads;

    @Option(names = "--chunk-rows", description = "Most rows per row group (default: writer default).")
    Integer chunkRows;

    @Option(names = "--chunk-mib", description = "About the most MiB of input text per row group.")
    Integer chunkMib;

    @Option(names = "--page-kib", description = "Target page size in KiB.")
    Integer pageKib;

    @Option(names = "--zstd-level", description = "ZSTD level.")
    Integer zstdLevel;

    @Option(names = "--plain-ts", description = "Write ts as PLAIN instead of DELTA_BINARY_PACKED.")
    boolean plainTs;

    @Option(names = "--verify",
            description = "After the timed runs, read the file back with ParquetExportReader (untimed).")
    boolean verify;

    @Option(names = "--keep", negatable = true, defaultValue = "true",
            description = "Keep the written file (default: ${DEFAULT-VALUE}).")
    boolean keep;

    @Override
    protected int run() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        if (rows < 0 || runs < 1 || warmup < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--rows and --warmup must be >= 0, --runs >= 1");
        }
        ExportWriterOptions opts = options();
        Files.createDirectories(out);
        Path file = out.resolve("bench-" + rows + "-" + seed + ".parquet").toAbsolutePath();

        long g0 = System.nanoTime();
        SyntheticRows data = SyntheticRows.generate(rows, seed, SyntheticRows.DEFAULT_START, depthChanges);
        double genSeconds = (System.nanoTime() - g0) / 1e9;
        o.printf(Locale.ROOT, "generated %,d rows (%,.1f MB of m text) in %.2f s (seed %d)%n", rows,
                data.textBytes() / 1e6, genSeconds, seed);
        o.printf(Locale.ROOT, "writer: threads=%d chunkRows=%d chunkBytes=%d pageSize=%d zstd=%d deltaTs=%s, %s%n",
                opts.threads(), opts.chunkRows(), opts.chunkBytes(), opts.pageSize(), opts.zstdLevel(),
                opts.deltaTs(), Runtime.version());
        o.flush();

        ExportMetadata meta = new ExportMetadata("BTC_USDT", SyntheticRows.DEFAULT_START,
                SyntheticRows.DEFAULT_START.plus(Duration.ofHours(1)));
        List<Double> times = new ArrayList<>();
        WriteSummary last = null;
        for (int r = 1; r <= warmup + runs; r++) {
            Files.deleteIfExists(file);
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            try (ParquetExportWriter w = new ParquetExportWriter(file, meta, opts)) {
                for (int i = 0, n = data.size(); i < n; i++) {
                    w.write(data.ts(i), data.mt(i), data.m(i));
                }
                last = w.finish();
            }
            double s = (System.nanoTime() - t0) / 1e9;
            double cpu = (cpuNanos() - c0) / 1e9;
            boolean timed = r > warmup;
            if (timed) {
                times.add(s);
            }
            o.printf(Locale.ROOT, "%s: %.3f s (process cpu %.3f s), %,.0f rows/s, %,d bytes (%.1f MB), "
                    + "%d row groups%n", timed ? "run " + (r - warmup) + "/" + runs : "warm-up " + r + "/" + warmup,
                    s, cpu, rows / s, last.bytes(), last.bytes() / 1e6, last.rowGroups());
            o.flush();
        }
        List<Double> sorted = new ArrayList<>(times);
        Collections.sort(sorted);
        double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        if (runs > 1) {
            o.printf(Locale.ROOT, "runs: min %.3f s, median %.3f s, max %.3f s%n", sorted.get(0), median,
                    sorted.get(sorted.size() - 1));
        }
        if (verify) {
            long v0 = System.nanoTime();
            ExportFileReport rep = ParquetExportReader.read(file);
            o.printf(Locale.ROOT, "verify: %s in %.3f s: %,d rows %s, %d row groups, codecs %s, nulls %d%s%n",
                    rep.ok() ? "OK" : "FAILED", (System.nanoTime() - v0) / 1e9, rep.rows(), rep.rowsByType(),
                    rep.rowGroups(), rep.codecs(), rep.nulls(), rep.ok() ? "" : ": " + rep.problems());
            boolean same = rep.rows() == last.rows() && rep.rowsByType().equals(last.rowsByType());
            if (!rep.ok() || !same) {
                o.println("verify: the file does not hold what was written");
                o.flush();
                return ExitCodes.FAILED;
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("rows", rows);
        json.put("seconds", Math.round(median * 1e6) / 1e6);
        json.put("bytes", last.bytes());
        json.put("file", file.toString());
        if (!keep) {
            Files.deleteIfExists(file);
        }
        o.println(new ObjectMapper().writeValueAsString(json));
        o.flush();
        return ExitCodes.OK;
    }

    /** CPU time of the whole JVM (all threads, GC included), or -1 if the JVM cannot tell. */
    private static long cpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private ExportWriterOptions options() {
        ExportWriterOptions o = ExportWriterOptions.defaults();
        if (threads != null) {
            o = o.withThreads(threads);
        }
        if (chunkRows != null) {
            o = o.withChunkRows(chunkRows);
        }
        if (chunkMib != null) {
            o = o.withChunkBytes((long) chunkMib << 20);
        }
        if (pageKib != null) {
            o = o.withPageSize(pageKib << 10);
        }
        if (zstdLevel != null) {
            o = o.withZstdLevel(zstdLevel);
        }
        if (plainTs) {
            o = o.withDeltaTs(false);
        }
        return o;
    }
}
