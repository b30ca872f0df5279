package com.mexcpipe.exporter.bench;

import com.mexcpipe.common.RowType;
import com.mexcpipe.exporter.parquet.ExportMetadata;
import com.mexcpipe.exporter.parquet.ExportWriterOptions;
import com.mexcpipe.exporter.parquet.ParquetExportWriter;
import com.mexcpipe.exporter.parquet.WriteSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The DuckDB half of {@code exporter/bench/parquet-vs-duckdb}.
 *
 * <ol>
 *   <li>Reads the output of {@code exporter.jar bench} (its stdout saved to a file): the timed runs of the jar and
 *       the file it wrote.</li>
 *   <li>Loads that file's rows into a DuckDB in-memory table (untimed) and into Java arrays (untimed).</li>
 *   <li>Interleaved rounds, same JVM, same rows, one after the other so that both see the same machine load:
 *       {@link ParquetExportWriter} with the export's default options (open .. finish incl. fsync), then
 *       {@code COPY tbl TO 'x.parquet' (FORMAT parquet, COMPRESSION zstd)} with DuckDB's default threads and level,
 *       then (for information) the same COPY at {@code COMPRESSION_LEVEL 1}.</li>
 *   <li>Prints all of them (min / median / last) and the ratios ours/DuckDB.</li>
 * </ol>
 *
 * <p>Usage: {@code ParquetVsDuckDb <bench-stdout.txt> [rounds]}
 */
public final class ParquetVsDuckDb {
    private static final Pattern RUN = Pattern.compile("^run (\\d+)/(\\d+): ([0-9.]+) s");
    private static final Pattern FILE = Pattern.compile("\"file\":\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern BYTES = Pattern.compile("\"bytes\":(\\d+)");
    private static final Pattern ROWS = Pattern.compile("\"rows\":(\\d+)");

    private ParquetVsDuckDb() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: ParquetVsDuckDb <bench-stdout.txt> [rounds]");
            System.exit(2);
        }
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<Double> jar = new ArrayList<>();
        for (String l : lines) {
            Matcher m = RUN.matcher(l);
            if (m.find()) {
                jar.add(Double.parseDouble(m.group(3)));
            }
        }
        String json = lines.get(lines.size() - 1);
        Path file = Path.of(group(FILE, json).replace("\\/", "/").replace("\\\\", "\\"));
        long jarBytes = Long.parseLong(group(BYTES, json));
        int rows = Integer.parseInt(group(ROWS, json));
        if (jar.isEmpty()) {
            throw new IllegalArgumentException("no 'run i/n: x s' lines in " + args[0]);
        }

        Path dir = Files.createTempDirectory("duckdb-bench");
        Path ours = dir.resolve("ours.parquet");
        Path duck = dir.resolve("duckdb.parquet");
        Path duck1 = dir.resolve("duckdb-l1.parquet");
        List<Double> oursT = new ArrayList<>();
        List<Double> duckT = new ArrayList<>();
        List<Double> duck1T = new ArrayList<>();
        long oursBytes = 0;
        long duckBytes;
        long duck1Bytes;
        String setup;
        double loadSeconds;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT current_setting('threads'), version()")) {
                rs.next();
                setup = rs.getString(1) + " threads, DuckDB " + rs.getString(2);
            }
            long l0 = System.nanoTime();
            st.execute("CREATE TABLE tbl AS SELECT * FROM read_parquet('" + sql(file) + "')");
            loadSeconds = (System.nanoTime() - l0) / 1e9;
            long[] ts = new long[rows];
            RowType[] mt = new RowType[rows];
            String[] m = new String[rows];
            int n = 0;
            try (ResultSet rs = st.executeQuery("SELECT epoch_ms(ts), mt, m FROM tbl")) {
                while (rs.next()) {
                    ts[n] = rs.getLong(1);
                    mt[n] = RowType.ofLabel(rs.getString(2));
                    m[n] = rs.getString(3);
                    n++;
                }
            }
            if (n != rows) {
                throw new IllegalStateException("DuckDB loaded " + n + " rows, expected " + rows);
            }
            ExportMetadata meta = new ExportMetadata("BTC_USDT", SyntheticRows.DEFAULT_START,
                    SyntheticRows.DEFAULT_START.plus(Duration.ofHours(1)));
            ExportWriterOptions options = ExportWriterOptions.defaults();
            System.out.printf(Locale.ROOT, "interleaved rounds: ours (threads=%d, zstd %d), DuckDB COPY (default), "
                    + "DuckDB COPY (COMPRESSION_LEVEL 1)%n", options.threads(), options.zstdLevel());
            for (int r = 0; r <= rounds; r++) { // round 0: warm-up (JIT), not counted
                Files.deleteIfExists(ours);
                long t0 = System.nanoTime();
                try (ParquetExportWriter w = new ParquetExportWriter(ours, meta, options)) {
                    for (int i = 0; i < rows; i++) {
                        w.write(ts[i], mt[i], m[i]);
                    }
                    WriteSummary s = w.finish();
                    oursBytes = s.bytes();
                }
                double o = (System.nanoTime() - t0) / 1e9;
                double d = copy(st, duck, "");
                double d1 = copy(st, duck1, ", COMPRESSION_LEVEL 1");
                System.out.printf(Locale.ROOT, "%s: ours %.3f s, duckdb %.3f s, duckdb-l1 %.3f s%n",
                        r == 0 ? "warm-up (not counted)" : "round " + r + "/" + rounds, o, d, d1);
                if (r > 0) {
                    oursT.add(o);
                    duckT.add(d);
                    duck1T.add(d1);
                }
            }
            duckBytes = Files.size(duck);
            duck1Bytes = Files.size(duck1);
        }
        for (Path p : List.of(ours, duck, duck1, dir)) {
            Files.deleteIfExists(p);
        }

        System.out.printf(Locale.ROOT, "rows %,d; %s; table loaded in %.2f s (untimed)%n", rows, setup, loadSeconds);
        System.out.printf(Locale.ROOT, "%-22s %9s %9s %9s %14s%n", "", "min s", "median s", "last s", "bytes");
        row("ours, exporter.jar", jar, jarBytes);
        row("ours, interleaved", oursT, oursBytes);
        row("duckdb (zstd default)", duckT, duckBytes);
        row("duckdb (zstd level 1)", duck1T, duck1Bytes);
        System.out.printf(Locale.ROOT, "ratio ours/duckdb (interleaved): time %.2f (min/min), %.2f "
                + "(median/median); size %.3f%n", min(oursT) / min(duckT), median(oursT) / median(duckT),
                (double) oursBytes / duckBytes);
        System.out.printf(Locale.ROOT, "ours: %,.0f rows/s (min), %,.0f rows/s (median)%n", rows / min(oursT),
                rows / median(oursT));
    }

    private static double copy(Statement st, Path target, String extra) throws Exception {
        Files.deleteIfExists(target);
        long t0 = System.nanoTime();
        st.execute("COPY tbl TO '" + sql(target) + "' (FORMAT parquet, COMPRESSION zstd" + extra + ")");
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void row(String label, List<Double> t, long bytes) {
        System.out.printf(Locale.ROOT, "%-22s %9.3f %9.3f %9.3f %,14d%n", label, min(t), median(t),
                t.get(t.size() - 1), bytes);
    }

    private static String group(Pattern p, String s) {
        Matcher m = p.matcher(s);
        if (!m.find()) {
            throw new IllegalArgumentException("no " + p + " in " + s);
        }
        return m.group(1);
    }

    private static String sql(Path p) {
        return p.toAbsolutePath().toString().replace("'", "''");
    }

    private static double min(List<Double> v) {
        return Collections.min(v);
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
