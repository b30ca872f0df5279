package com.mexcpipe.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mexcpipe.common.RowType;
import com.mexcpipe.exporter.parquet.ExportFileReport;
import com.mexcpipe.exporter.parquet.ParquetExportReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the shaded {@code exporter.jar} (built by the package phase) as a user would: the write path (parquet-hadoop
 * with the shaded Hadoop client, ZSTD) and the read-back ({@code --verify}) both run from the jar itself, and the
 * file it writes is read by DuckDB.
 */
class ExporterJarIT {
    @TempDir
    Path dir;

    record Result(int exit, List<String> out, String err) {
    }

    static Result run(String... args) throws Exception {
        return run(java.util.Map.of(), args);
    }

    static Result run(java.util.Map<String, String> env, String... args) throws Exception {
        Path jar = Path.of(System.getProperty("exporter.jar", "target/exporter.jar"));
        assertThat(jar).exists();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("exporter-out", ".txt");
        Path err = Files.createTempFile("exporter-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(3, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + cmd);
            }
            return new Result(p.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void helpAndUsage() throws Exception {
        Result help = run("--help");
        assertThat(help.exit()).isZero();
        assertThat(String.join("\n", help.out())).contains("Usage: exporter.jar").contains("bench").contains("--once");
        Result version = run("--version");
        assertThat(version.out()).containsExactly("mexc-pipe 0.1.0");
        // no command = the service: with ClickHouse unreachable it says so and exits 3 (after CLICKHOUSE_WAIT_S)
        Result service = run(java.util.Map.of("CLICKHOUSE_URL", "http://127.0.0.1:9", "CLICKHOUSE_WAIT_S", "1",
                "CONTROL_DIR", dir.resolve("control").toString(), "EXPORT_DIR", dir.resolve("exports").toString()));
        assertThat(service.exit()).isEqualTo(3);
        assertThat(service.err()).contains("ClickHouse not reachable at 127.0.0.1:9");
        Result badEnv = run(java.util.Map.of("SYMBOLS", "BTC_USDT,nope", "CLICKHOUSE_WAIT_S", "1"), "--once");
        assertThat(badEnv.exit()).isEqualTo(2);
        assertThat(badEnv.err()).contains("SYMBOLS=BTC_USDT,nope");
        Result bad = run("bench", "--out", dir.toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--rows");
    }

    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {1, 2})
    void benchWritesAFileDuckDbAndOurReaderAccept(int threads) throws Exception {
        Result r = run("bench", "--rows", "50000", "--out", dir.toString(), "--seed", "3", "--threads",
                Integer.toString(threads), "--runs", "2", "--verify");
        assertThat(r.exit()).as("stdout %s%nstderr %s", r.out(), r.err()).isZero();
        assertThat(r.err()).doesNotContain(" DEBUG ").doesNotContain("WARN");
        assertThat(r.out()).anyMatch(l -> l.startsWith("verify: OK"));
        JsonNode json = new ObjectMapper().readTree(r.out().get(r.out().size() - 1));
        assertThat(json.get("rows").asLong()).isEqualTo(50_000);
        assertThat(json.get("seconds").asDouble()).isPositive();
        Path file = Path.of(json.get("file").asText());
        assertThat(Files.size(file)).isEqualTo(json.get("bytes").asLong());

        ExportFileReport rep = ParquetExportReader.read(file);
        assertThat(rep.ok()).as("%s", rep.problems()).isTrue();
        assertThat(rep.rows()).isEqualTo(50_000);
        assertThat(rep.rows(RowType.DEPTH)).isPositive();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            String f = "'" + file.toString().replace("'", "''") + "'";
            try (ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT mt), min(ts), max(ts) "
                    + "FROM read_parquet(" + f + ")")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(50_000);
                assertThat(rs.getLong(2)).isEqualTo(4);
            }
            try (ResultSet rs = st.executeQuery("SELECT DISTINCT compression FROM parquet_metadata(" + f + ")")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("ZSTD");
                assertThat(rs.next()).isFalse();
            }
        }
    }
}
