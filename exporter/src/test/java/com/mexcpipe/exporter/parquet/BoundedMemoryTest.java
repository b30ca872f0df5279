package com.mexcpipe.exporter.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The writer does not buffer the export: a JVM with a 128 MiB heap writes 2 M rows of ~300 chars (about 700 MB as
 * Java strings, 600 MB of text), on the single-threaded and on the parallel path.
 */
class BoundedMemoryTest {
    static final long ROWS = 2_000_000;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {1, 2})
    void writesFarMoreThanTheHeapHolds(int threads) throws Exception {
        Path file = dir.resolve("big.parquet");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-Xmx128m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"), BoundedMemoryMain.class.getName(), file.toString(),
                Long.toString(ROWS), Integer.toString(threads))
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
        boolean done = p.waitFor(5, TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly();
        }
        List<String> out = Files.readAllLines(dir.resolve("out.txt"), StandardCharsets.UTF_8);
        assertThat(done).as("finished in time; output %s", out).isTrue();
        assertThat(p.exitValue()).as("exit code; output:%n%s", String.join(System.lineSeparator(), out)).isZero();
        assertThat(out.get(out.size() - 1)).startsWith("rows=" + ROWS + " ");
        ExportFileReport rep = ParquetExportReader.read(file, 1);
        assertThat(rep.ok()).as("%s", rep.problems()).isTrue();
        assertThat(rep.rows()).isEqualTo(ROWS);
    }
}
