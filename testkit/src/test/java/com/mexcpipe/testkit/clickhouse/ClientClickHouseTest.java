package com.mexcpipe.testkit.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mexcpipe.client.ClientRuntime;
import com.mexcpipe.client.ClientRoute;
import com.mexcpipe.client.status.RouteStatus;
import com.mexcpipe.client.store.ClickHouseRowStore;
import com.mexcpipe.client.transport.DirectRoute;
import com.mexcpipe.common.Row;
import com.mexcpipe.common.RowType;
import com.mexcpipe.common.clickhouse.ClickHouseSettings;
import com.mexcpipe.common.clickhouse.Schema;
import com.mexcpipe.testkit.client.ClientHarness;
import com.mexcpipe.testkit.net.TcpProxy;
import com.mexcpipe.testkit.sim.ConnectionRecord;
import com.mexcpipe.testkit.sim.ExchangeSimulator;
import com.mexcpipe.testkit.sim.PushedFrame;
import com.mexcpipe.testkit.sim.PushedFrames;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(ClickHouseExtension.class)
@Timeout(120)
class ClientClickHouseTest {
    @TempDir
    Path dir;

    static ClickHouseSettings prepare(ClickHouseBackend ch, String prefix) throws Exception {
        String db = ch.createDatabase(prefix);
        ClickHouseSettings s = ChSupport.settings(ch, db);
        try (Connection c = s.connect(); Statement st = c.createStatement()) {
            st.execute(Schema.createTable(s, "btc_current"));
        }
        return s;
    }

    @Test
    void rowsAreStoredExactlyIncludingRawFramesWithTabsNewlinesAndUnicode(ClickHouseBackend ch) throws Exception {
        ClickHouseSettings s = prepare(ch, "rowstore");
        List<Row> rows = new ArrayList<>();
        String[] odd = {"tab\there", "new\nline", "cr\r\nlf", "quote ' \" `", "back\\slash \\t \\n", "ü é 中文 😀",
            "", "nul\0byte", "blank\n\nline", "{\"channel\":\"push.kline\",\"data\":{\"a\":1}}"};
        for (int i = 0; i < 5000; i++) {
            RowType t = RowType.values()[i % 4];
            rows.add(new Row(1_795_300_000_000L + i * 7L, t, t == RowType.RAW ? odd[i % odd.length] + i : "1|2|" + i));
        }
        try (ClickHouseRowStore store = new ClickHouseRowStore(s, "btc_current")) {
            store.insert(rows.subList(0, 2500));
            store.insert(rows.subList(2500, 5000));
        }
        assertThat(ChSupport.rows(s, "btc_current")).containsExactlyElementsOf(ChSupport.sorted(rows));
    }

    @Test
    void whenClickHouseGoesAwayAndReturnsNothingIsLostNotEvenAcrossARestart(ClickHouseBackend ch) throws Exception {
        ClickHouseSettings direct = prepare(ch, "outage");
        try (ExchangeSimulator sim = ExchangeSimulator.builder().rates(5, 40, 40).frameLogFull().seed(3).build()
                .start(); TcpProxy proxy = new TcpProxy(ChSupport.host(ch), ChSupport.port(ch))) {
            ClickHouseSettings viaProxy = ChSupport.via(ch, direct.database(), proxy.port());
            Map<String, String> env = ClientHarness.with(ClientHarness.testEnv("BTC_USDT", sim.uri().toString(), dir),
                    "CLICKHOUSE_URL", "http://127.0.0.1:" + proxy.port(), "CLICKHOUSE_USER", ch.user(),
                    "CLICKHOUSE_PASSWORD", ch.password(), "CLICKHOUSE_DATABASE", direct.database(),
                    "BUFFER_MAX_BYTES", "65536", "INSERT_RETRY_MAX_MS", "500");
            ClientRuntime first = start(env, viaProxy);
            await().atMost(20, TimeUnit.SECONDS).until(() -> first.batcher().stats().acked().total() > 50);
            proxy.down();
            await().atMost(20, TimeUnit.SECONDS).until(() -> first.batcher().stats().spooledRows() > 0);
            Thread.sleep(1000);
            first.close(); // SIGTERM while ClickHouse is away: everything goes to the spool
            long spooled = first.batcher().stats().spooledRows();
            assertThat(spooled).isPositive();
            long received = first.batcher().stats().added().total();
            List<ConnectionRecord> firstConnections = sim.snapshot().connections();
            assertThat(firstConnections).as("the first client kept one connection").hasSize(1);
            long firstConnection = firstConnections.get(0).id();
            proxy.up();
            ClientRuntime second = start(env, viaProxy); // replays the spool first, keeps collecting
            Thread.sleep(1500);
            sim.pausePushes();
            assertThat(sim.awaitDrained(Duration.ofSeconds(10))).isTrue();
            // What the first client received is a prefix of its connection's pushes: Java-WebSocket discards frames
            // that arrive once close() has begun, so a stop ends the recording at that instant. All of that prefix
            // and everything pushed to the second client must be stored.
            List<PushedFrame> frames = sim.frames();
            List<Row> beforeStop = PushedFrames.expectedRows(
                    frames.stream().filter(f -> f.connectionId() == firstConnection).toList());
            assertThat(received).isBetween(1L, (long) beforeStop.size());
            List<Row> expected = new ArrayList<>(beforeStop.subList(0, (int) received));
            expected.addAll(PushedFrames.expectedRows(
                    frames.stream().filter(f -> f.connectionId() != firstConnection).toList()));
            System.out.printf("[stop] first client received %d of %d rows pushed to it before its connection closed%n",
                    received, beforeStop.size());
            try {
                await().atMost(30, TimeUnit.SECONDS).until(() -> ChSupport.count(direct, "btc_current")
                        >= expected.size() && second.batcher().stats().spooledRows() == 0
                        && second.batcher().stats().bufferedRows() == 0);
            } catch (ConditionTimeoutException e) {
                second.close();
                ChSupport.assertNoLossAtMostOneBatchRepeated(ChSupport.rows(direct, "btc_current"), expected);
                throw e; // nothing missing, yet the client never drained
            }
            second.close();
            ChSupport.assertNoLossAtMostOneBatchRepeated(ChSupport.rows(direct, "btc_current"), expected);
        }
    }

    private ClientRuntime start(Map<String, String> env, ClickHouseSettings s) throws Exception {
        return new ClientRuntime(ClientHarness.config(env), new ClickHouseRowStore(s, "btc_current"),
                ClientRoute.of(new DirectRoute(null), RouteStatus.DIRECT), Clock.systemUTC()).start();
    }
}
