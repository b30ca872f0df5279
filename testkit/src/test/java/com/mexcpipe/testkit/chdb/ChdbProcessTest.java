package com.mexcpipe.testkit.chdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The endpoint as a process: {@link ChdbProcess}, the command line, and the signal guard in a JVM of its own. */
class ChdbProcessTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String JAVA = ProcessHandle.current().info().command().orElse("java");

    @TempDir
    Path tmp;
    Path library;

    @BeforeEach
    void needsLibchdb() {
        library = ChdbLibrary.locate();
    }

    void assumeLibrary() {
        assumeTrue(Files.isRegularFile(library), "libchdb not found at " + library + " (run .ci/fetch-chdb)");
    }

    static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    static String post(String url, String sql) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(sql)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void startsServesAndStopsOnClose() throws Exception {
        assumeLibrary();
        Path data = tmp.resolve("data");
        ChdbProcess process = ChdbProcess.start(library, data, Duration.ofSeconds(60), true);
        try {
            assertThat(process.url()).isEqualTo("http://127.0.0.1:" + process.port());
            assertThat(process.version()).startsWith("26.");
            assertThat(get(process.url() + "/ping")).isEqualTo("Ok.\n");
            assertThat(post(process.url() + "/", "SELECT 1 + 1")).isEqualTo("2\n");
            assertThat(process.logFile()).isEqualTo(data.resolve("server.log"));
        } finally {
            long started = System.nanoTime();
            process.close();
            System.out.printf("[chdb] process stopped in %d ms%n", (System.nanoTime() - started) / 1_000_000);
        }
        assertThat(process.isAlive()).isFalse();
        assertThat(ProcessHandle.of(process.pid()).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
        assertThat(data).doesNotExist();
    }

    @Test
    void commandLinePrintsOneLineAndStopsOnSigterm() throws Exception {
        assumeLibrary();
        Path stderr = tmp.resolve("stderr.log");
        Process p = new ProcessBuilder(JAVA, "-cp", System.getProperty("java.class.path"),
                ChdbServerMain.class.getName(), "--port", "0", "--data", tmp.resolve("cli").toString(),
                "--lib", library.toString())
                .redirectError(stderr.toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return null;
                }
            }).get(60, TimeUnit.SECONDS);
            assertThat(line).matches("clickhouse \\(chDB 26\\.5\\.[0-9.]+\\) listening on http://127\\.0\\.0\\.1:\\d+");
            String url = line.substring(line.indexOf("http://"));
            assertThat(post(url + "/", "SELECT version()")).startsWith("26.5");

            p.toHandle().destroy(); // SIGTERM (Process.destroy() would also close our end of stdout)
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
            assertThat(p.exitValue()).isEqualTo(143); // 128 + SIGTERM, after the shutdown hook ran
            assertThat(out.readLine()).as("nothing after the ready line").isNull();
            assertThat(Files.readString(stderr)).contains("clickhouse stopped");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void missingLibraryIsExitCode3WithAHint() throws Exception {
        Process p = new ProcessBuilder(JAVA, "-cp", System.getProperty("java.class.path"),
                ChdbServerMain.class.getName(), "--port", "0", "--lib", tmp.resolve("nope.so").toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(3);
        assertThat(output).contains("libchdb not found at", "nope.so", ".ci/fetch-chdb");
    }

    @Test
    void aFailedStartReportsTheLogTail() throws Exception {
        Path notALibrary = Files.writeString(tmp.resolve("libchdb.so"), "not an ELF file");
        assertThatThrownBy(() -> ChdbProcess.start(notALibrary, tmp.resolve("data"), Duration.ofSeconds(60), false))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("exited with status 3")
                .hasMessageContaining("server.log ends with")
                .hasMessageContaining("cannot load");
    }

    @Test
    void implicitNullPointerExceptionsDoNotHangAJvmWithChdbLoaded() throws Exception {
        assumeLibrary();
        List<String> command = new ArrayList<>(List.of(JAVA, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                SignalGuardProbe.class.getName(), library.toString(), tmp.resolve("probe").toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        try {
            boolean finished = p.waitFor(90, TimeUnit.SECONDS);
            assertThat(finished).as("the probe JVM finished (a hang means chDB's signal handler caught an NPE)").isTrue();
            String text = output.get(10, TimeUnit.SECONDS);
            assertThat(p.exitValue()).as(text).isZero();
            assertThat(text).contains("OK 200000 NPEs");
        } finally {
            p.destroyForcibly();
        }
    }
}
