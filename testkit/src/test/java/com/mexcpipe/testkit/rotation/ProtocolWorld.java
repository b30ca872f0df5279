package com.mexcpipe.testkit.rotation;

import static org.awaitility.Awaitility.await;

import com.mexcpipe.client.rotation.RotationParticipant;
import com.mexcpipe.client.store.Batcher;
import com.mexcpipe.client.store.BatcherConfig;
import com.mexcpipe.client.store.Spool;
import com.mexcpipe.common.Row;
import com.mexcpipe.common.RowType;
import com.mexcpipe.common.Symbol;
import com.mexcpipe.common.control.ControlFolder;
import com.mexcpipe.common.testing.ManualClock;
import com.mexcpipe.exporter.ExportCycle;
import com.mexcpipe.exporter.Steps;
import com.mexcpipe.exporter.parquet.ExportWriterOptions;
import com.mexcpipe.exporter.rotation.RotationTimeouts;
import com.mexcpipe.testkit.store.TableStoreModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One symbol's client (real batcher + real rotation participant) and exporter (real cycle, Parquet writer) on real
 * files and a {@link TableStoreModel}, on a manual clock. The exporter's waits advance the clock and let the client
 * take its protocol steps, so a whole rotation runs deterministically in the test thread.
 */
final class ProtocolWorld implements AutoCloseable {
    static final Symbol BTC = Symbol.parse("BTC_USDT");
    static final RotationTimeouts TIMEOUTS = new RotationTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(20),
            Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofMillis(100));

    final Path dir;
    final ManualClock clock = ManualClock.at("2026-11-22T14:59:59.500Z");
    final TableStoreModel tables = new TableStoreModel(0, 1);
    final List<Row> acknowledged = new ArrayList<>();
    Client client;
    boolean clientTicks = true;
    /** The client process lives (heartbeat) but never takes a protocol step. */
    boolean heartbeatOnly;
    private long seq;

    /** A client process: its batcher and participant; "crashing" it just abandons them. */
    final class Client {
        final Batcher batcher;
        final RotationParticipant participant;

        Client(Duration lease) throws Exception {
            batcher = new Batcher(tables.store(BTC.currentTable()), new Spool(dir.resolve("spool")),
                    new BatcherConfig(Duration.ofMillis(10), 1000, 1 << 20, 1L << 30, Duration.ofMillis(5),
                            Duration.ofMillis(20), Duration.ofMillis(50)));
            participant = new RotationParticipant(ControlFolder.of(dir.resolve("control"), BTC.base()),
                    batcher, clock, lease, Duration.ofSeconds(5), Duration.ofSeconds(5), BTC.value(), () -> "test");
            participant.tick(); // answers a pending rotation before the first insert
            batcher.start();
        }
    }

    ProtocolWorld(Path dir) throws Exception {
        this.dir = dir;
        tables.create(BTC.currentTable());
        client = new Client(Duration.ofSeconds(60));
    }

    /** Adds {@code n} rows and waits until they are stored (unless the client is paused). */
    void feed(int n, boolean awaitStored) {
        long target = client.batcher.stats().acked().total() + n;
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long s = seq++;
            Row r = new Row(clock.millis() + (s % 7), RowType.values()[(int) (s % 4)], "row-" + s);
            rows.add(r);
            client.batcher.add(r.ts(), r.mt(), r.m());
        }
        synchronized (acknowledged) {
            acknowledged.addAll(rows); // counted as sent; the test checks they end up stored and exported exactly once
        }
        if (awaitStored) {
            await().atMost(10, TimeUnit.SECONDS).until(() -> client.batcher.stats().acked().total() >= target);
        }
    }

    ExportCycle exporter(Steps steps) {
        return new ExportCycle(List.of(BTC), tables, dir.resolve("control"), dir.resolve("exports"), clock,
                clock.sleeper(() -> {
                    if (clientTicks && client != null) {
                        client.participant.tick();
                    } else if (heartbeatOnly) {
                        try {
                            ControlFolder.of(dir.resolve("control"), BTC.base()).write(
                                    com.mexcpipe.common.control.Flags.HEARTBEAT, new com.mexcpipe.common.control.Flags
                                            .Heartbeat(1, clock.instant(), clock.instant(), "stuck", BTC.value()));
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                }), TIMEOUTS, ExportWriterOptions.defaults().withThreads(1)).steps(steps);
    }

    /** Lets time pass for the client alone (its lease may run out). */
    void clientRuns(Duration d) {
        for (long ms = 0; ms < d.toMillis(); ms += 500) {
            clock.advance(Duration.ofMillis(500));
            if (client != null && clientTicks) {
                client.participant.tick();
            }
        }
    }

    /** Waits until the client has stored everything it holds. */
    void drainClient() {
        await().atMost(20, TimeUnit.SECONDS).until(() -> client.batcher.stats().bufferedRows() == 0
                && client.batcher.stats().spooledRows() == 0);
    }

    /** Exported rows plus whatever is still in current/previous, against every row fed. */
    com.mexcpipe.testkit.soak.Accounting account() throws Exception {
        List<Row> found = new ArrayList<>(ExportedRows.read(dir.resolve("exports")));
        for (String t : List.of(BTC.currentTable(), BTC.previousTable())) {
            if (tables.exists(t)) {
                found.addAll(tables.rows(t));
            }
        }
        synchronized (acknowledged) {
            return ExportedRows.account(acknowledged, found);
        }
    }

    @Override
    public void close() throws Exception {
        if (client != null && client.batcher.stats() != null) {
            client.participant.close();
            client.batcher.close(Duration.ofSeconds(2));
        }
    }
}
