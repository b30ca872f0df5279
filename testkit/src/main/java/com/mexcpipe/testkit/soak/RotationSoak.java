package com.mexcpipe.testkit.soak;

import com.mexcpipe.client.ClientConfig;
import com.mexcpipe.client.ClientRoute;
import com.mexcpipe.client.ClientRuntime;
import com.mexcpipe.client.rotation.InsertGate;
import com.mexcpipe.client.status.RouteStatus;
import com.mexcpipe.client.store.ClickHouseRowStore;
import com.mexcpipe.client.store.RowCounts;
import com.mexcpipe.client.store.RowStore;
import com.mexcpipe.client.transport.DirectRoute;
import com.mexcpipe.common.Row;
import com.mexcpipe.common.Sleeper;
import com.mexcpipe.common.Symbol;
import com.mexcpipe.common.clickhouse.ClickHouseSettings;
import com.mexcpipe.exporter.ExportCycle;
import com.mexcpipe.exporter.parquet.ParquetExportReader;
import com.mexcpipe.exporter.parquet.ExportWriterOptions;
import com.mexcpipe.exporter.rotation.RotationTimeouts;
import com.mexcpipe.exporter.store.ClickHouseTableOps;
import com.mexcpipe.exporter.store.TableOps;
import com.mexcpipe.testkit.client.ClientHarness;
import com.mexcpipe.testkit.sim.ExchangeSimulator;
import com.mexcpipe.testkit.sim.PushedFrames;
import com.mexcpipe.testkit.store.TableStoreModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulator → real client → store (the table-store model, or real ClickHouse) → real exporter, rotating every
 * {@code interval} for {@code rotations} rounds while frames flow at {@code rate} per second; then every event the
 * simulator sent is looked for in the exported files and in {@code _current}: each must be there exactly once.
 */
public final class RotationSoak {
    private static final Logger log = LoggerFactory.getLogger(RotationSoak.class);
    static final Symbol SYM = Symbol.parse("BTC_USDT");

    /** What the soak found. */
    public record Result(long framesSent, long eventsSent, long stored, long exported, long inCurrent, long lost,
            long duplicated, int rotations, int rotated, int files) {
        public boolean ok() {
            return lost == 0 && duplicated == 0;
        }

        public String json() {
            return String.format("{\"framesSent\":%d,\"eventsSent\":%d,\"stored\":%d,\"exported\":%d,\"inCurrent\":%d,"
                    + "\"lost\":%d,\"duplicated\":%d,\"rotations\":%d,\"rotated\":%d,\"files\":%d}", framesSent,
                    eventsSent, stored, exported, inCurrent, lost, duplicated, rotations, rotated, files);
        }
    }

    private int rotations = 20;
    private double rate = 5000;
    private Duration interval = Duration.ofMillis(500);
    private boolean skipPause;
    private ClickHouseSettings clickHouse;
    private int insertDelayMs = 40;

    public RotationSoak rotations(int n) {
        rotations = n;
        return this;
    }

    public RotationSoak rate(double framesPerSecond) {
        rate = framesPerSecond;
        return this;
    }

    public RotationSoak interval(Duration d) {
        interval = d;
        return this;
    }

    /** Negative control: the client claims to pause but keeps inserting (the race the handshake exists for). */
    public RotationSoak skipPause(boolean skip) {
        skipPause = skip;
        return this;
    }

    /** Run against real ClickHouse (its database must exist) instead of the table-store model. */
    public RotationSoak clickHouse(ClickHouseSettings ch) {
        clickHouse = ch;
        return this;
    }

    public RotationSoak insertDelayMs(int ms) {
        insertDelayMs = ms;
        return this;
    }

    public Result run(Path dir) throws Exception {
        TableStoreModel model = clickHouse == null ? new TableStoreModel(insertDelayMs, 7) : null;
        TableOps tables = model != null ? model : new ClickHouseTableOps(clickHouse);
        tables.create(SYM.currentTable());
        RowStore store = model != null ? model.store(SYM.currentTable())
                : new ClickHouseRowStore(clickHouse, SYM.currentTable());
        Path exports = Files.createDirectories(dir.resolve("exports"));
        // the simulator's rate is per channel: split the total like live traffic (depth and deals dominate)
        try (ExchangeSimulator sim = ExchangeSimulator.builder().rates(rate * 0.04, rate * 0.46, rate * 0.5)
                .frameLogFull().seed(11).build().start()) {
            Map<String, String> env = ClientHarness.with(ClientHarness.testEnv(SYM.value(), sim.uri().toString(), dir),
                    "FLUSH_INTERVAL_MS", "50", "SILENCE_TIMEOUT_MS", "30000", "PAUSE_LEASE_S", "60",
                    "CONTROL_POLL_MS", "10");
            ClientConfig cfg = ClientHarness.config(env);
            UnaryOperator<InsertGate> gate = skipPause ? RotationSoak::lyingGate : UnaryOperator.identity();
            ExportCycle exporter = new ExportCycle(List.of(SYM), tables, dir.resolve("control"), exports,
                    Clock.systemUTC(), Sleeper.REAL, new RotationTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(20),
                            Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofMillis(10)),
                    ExportWriterOptions.defaults());
            int rotated = 0;
            try (ClientRuntime client = new ClientRuntime(cfg, store, ClientRoute.of(new DirectRoute(null),
                    RouteStatus.DIRECT), Clock.systemUTC(), gate).start()) {
                waitFor(() -> client.session().stats().depthLiveAt() > 0, Duration.ofSeconds(20), "client live");
                for (int i = 0; i < rotations; i++) {
                    Thread.sleep(interval.toMillis());
                    List<ExportCycle.SymbolResult> r = exporter.run("2026-11-22T14");
                    if (r.get(0).exported()) {
                        rotated++;
                    } else {
                        log.warn("soak round {}: {}", i, r.get(0));
                    }
                }
                sim.pausePushes();
                sim.awaitDrained(Duration.ofSeconds(30));
                long expectedEvents = PushedFrames.expectedRows(sim.frames()).size();
                waitFor(() -> client.batcher().stats().added().total() >= expectedEvents
                        && client.batcher().stats().bufferedRows() == 0 && client.batcher().stats().spooledRows() == 0,
                        Duration.ofSeconds(60), "client drained");
                Thread.sleep(200);
            }
            List<Row> expected = PushedFrames.expectedRows(sim.frames());
            List<Row> exported = new ArrayList<>();
            int files = 0;
            try (Stream<Path> s = Files.list(exports)) {
                for (Path f : (Iterable<Path>) s.filter(p -> p.toString().endsWith(".parquet"))::iterator) {
                    files++;
                    ParquetExportReader.read(f, 0, (ts, mt, m) -> exported.add(new Row(ts, mt, m)));
                }
            }
            List<Row> current = model != null ? model.rows(SYM.currentTable()) : rowsOf(clickHouse);
            List<Row> found = new ArrayList<>(exported);
            found.addAll(current);
            Accounting acc = Accounting.of(expected, found);
            long frames = sim.frames().stream().filter(f -> f.channel() != null).count();
            return new Result(frames, expected.size(), exported.size() + current.size(), exported.size(),
                    current.size(), acc.lost(), acc.duplicated(), rotations, rotated, files);
        }
    }

    /** Answers the rotation as if paused, but never stops inserting. */
    static InsertGate lyingGate(InsertGate real) {
        return new InsertGate() {
            @Override
            public Optional<RowCounts> pause(Duration maxWait) {
                return Optional.of(RowCounts.ZERO);
            }

            @Override
            public void resume(boolean rotated) {
                real.resume(rotated);
            }
        };
    }

    private static List<Row> rowsOf(ClickHouseSettings ch) throws Exception {
        List<Row> out = new ArrayList<>();
        new ClickHouseTableOps(ch).scanOrdered(SYM.currentTable(), (ts, mt, m) -> out.add(new Row(ts, mt, m)));
        return out;
    }

    private static void waitFor(java.util.function.BooleanSupplier c, Duration max, String what) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
