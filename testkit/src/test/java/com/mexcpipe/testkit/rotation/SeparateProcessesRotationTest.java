package com.mexcpipe.testkit.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mexcpipe.common.Row;
import com.mexcpipe.common.clickhouse.ClickHouseSettings;
import com.mexcpipe.exporter.export.ExportLog;
import com.mexcpipe.testkit.client.ClientHarness;
import com.mexcpipe.testkit.clickhouse.ClickHouseBackend;
import com.mexcpipe.testkit.clickhouse.ClickHouseExtension;
import com.mexcpipe.testkit.demo.ClientProcess;
import com.mexcpipe.testkit.sim.ExchangeSimulator;
import com.mexcpipe.testkit.sim.PushedFrames;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rotation between separate processes, as deployed: a client.jar process collecting from the simulator into
 * ClickHouse, and exporter.jar --once processes; they share only the control folder and ClickHouse.
 */
@ExtendWith(ClickHouseExtension.class)
@Timeout(240)
class SeparateProcessesRotationTest {
    @TempDir
    Path dir;

    static Path jar(String module) {
        Path j = ClientProcess.findClientJar().map(p -> p.getParent().getParent().getParent().resolve(module)
                .resolve("target").resolve(module + ".jar")).orElse(null);
        Assumptions.assumeTrue(j != null && Files.isRegularFile(j), module + ".jar not built: run mvn verify");
        return j;
    }

    record Run(int code, String out) {
    }

    Run exporterOnce(Map<String, String> env) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-jar", jar("exporter").toString(), "--once")
                .redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    void aClientProcessAndExporterProcessesRotateWithoutLoss(ClickHouseBackend ch) throws Exception {
        Path clientJar = jar("client");
        String db = ch.createDatabase("procs");
        ClickHouseSettings s = new ClickHouseSettings(URI.create(ch.httpUrl()), ch.user(), ch.password(), db);
        try (Connection c = s.connect(); Statement st = c.createStatement()) {
            st.execute(com.mexcpipe.common.clickhouse.Schema.createTable(s, "btc_current"));
        }
        Map<String, String> chEnv = Map.of("CLICKHOUSE_URL", ch.httpUrl(), "CLICKHOUSE_USER", ch.user(),
                "CLICKHOUSE_PASSWORD", ch.password(), "CLICKHOUSE_DATABASE", db, "CONTROL_DIR",
                dir.resolve("control").toString());
        Map<String, String> exporterEnv = new java.util.HashMap<>(chEnv);
        exporterEnv.putAll(Map.of("SYMBOLS", "BTC_USDT", "EXPORT_DIR", dir.resolve("exports").toString(),
                "ROTATE_PAUSE_ACK_S", "20"));
        try (ExchangeSimulator sim = ExchangeSimulator.builder().rates(5, 50, 50).frameLogFull().seed(5).build()
                .start()) {
            Map<String, String> env = ClientHarness.with(ClientHarness.testEnv("BTC_USDT", sim.uri().toString(), dir),
                    "HTTP_PORT", Integer.toString(ClientProcess.freePort()), "CONTROL_POLL_MS", "100");
            env.putAll(chEnv);
            try (ClientProcess client = ClientProcess.start(clientJar, "BTC_USDT", env, dir.resolve("client.log"))) {
                await().atMost(60, TimeUnit.SECONDS).until(() -> client.status()
                        .map(st -> st.path("rows").path("stored").path("dp").asLong() > 50).orElse(false));
                Run first = exporterOnce(exporterEnv);
                assertThat(first.code()).as(first.out()).isZero();
                assertThat(first.out()).contains("BTC_USDT", "rotated ", "btc20").contains("client counts: match");
                assertThat(client.status().orElseThrow().path("rotation").path("lastResumeReason").asText())
                        .isEqualTo("rotated");
                Thread.sleep(1500); // the client keeps collecting into the fresh table
                sim.pausePushes();
                assertThat(sim.awaitDrained(Duration.ofSeconds(10))).isTrue();
                long sent = PushedFrames.expectedRows(sim.frames()).size();
                await().atMost(30, TimeUnit.SECONDS).until(() -> client.status().map(st ->
                        st.path("rows").path("stored").path("t").asLong() + st.path("rows").path("stored").path("d")
                                .asLong() + st.path("rows").path("stored").path("dp").asLong() >= sent
                                && st.path("store").path("bufferedRows").asLong() == 0).orElse(false));
            } // SIGTERM: the client flushes and exits
            Run second = exporterOnce(exporterEnv);
            assertThat(second.code()).as(second.out()).isZero();
            assertThat(second.out()).contains("rotated_without_client"); // no client process any more
            List<Row> expected = PushedFrames.expectedRows(sim.frames());
            List<Row> found = new ArrayList<>(ExportedRows.read(dir.resolve("exports")));
            try (Connection c = s.connect(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count() FROM " + s.table("btc_current"))) {
                rs.next();
                assertThat(rs.getLong(1)).as("everything exported").isZero();
            }
            com.mexcpipe.testkit.soak.Accounting a = ExportedRows.account(expected, found);
            assertThat(a.lost()).isZero();
            assertThat(a.duplicated()).isZero();
            assertThat(new ExportLog(dir.resolve("exports")).entries()).hasSize(2)
                    .allSatisfy(e -> assertThat(e.symbol()).isEqualTo("BTC_USDT"));
        }
        ch.dropDatabase(db);
    }
}
