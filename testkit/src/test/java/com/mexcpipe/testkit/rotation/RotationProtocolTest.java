package com.mexcpipe.testkit.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mexcpipe.client.rotation.RotationParticipant;
import com.mexcpipe.common.control.ControlFolder;
import com.mexcpipe.common.control.Flags;
import com.mexcpipe.exporter.ExportCycle;
import com.mexcpipe.exporter.SimulatedCrash;
import com.mexcpipe.exporter.Steps;
import com.mexcpipe.exporter.export.ExportLog;
import com.mexcpipe.exporter.rotation.RotationCoordinator.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DESIGN §5 end to end on real files: every step, every timeout, a crash of either side at every step. */
@Timeout(120)
class RotationProtocolTest {
    @TempDir
    Path dir;

    ControlFolder folder() {
        return ControlFolder.of(dir.resolve("control"), "btc");
    }

    List<String> flags() {
        return Stream.of(Flags.ROTATE, Flags.PAUSED, Flags.ROTATED, Flags.RESUMED).filter(folder()::exists).toList();
    }

    List<String> exportFiles() throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("exports"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFullRotationExportsEveryRowOnceAndTheClientCarriesOn() throws Exception {
        try (ProtocolWorld w = new ProtocolWorld(dir)) {
            w.feed(1000, true);
            List<ExportCycle.SymbolResult> r = w.exporter(Steps.NONE).run("2026-11-22T14");
            assertThat(r).singleElement().satisfies(x -> {
                assertThat(x.ok()).isTrue();
                assertThat(x.rotation()).isEqualTo(Outcome.ROTATED);
                assertThat(x.file()).isEqualTo("btc2026112214.parquet");
                assertThat(x.rows()).isEqualTo(1000);
                assertThat(x.client()).as("client's paused counts equal the file's").isEqualTo("match");
            });
            assertThat(w.tables.exists("btc_previous")).isFalse();
            assertThat(w.tables.rows("btc_current")).isEmpty();
            assertThat(flags()).as("folder cleared").isEmpty();
            assertThat(w.client.participant.view().phase()).isEqualTo(RotationParticipant.Phase.IDLE);
            assertThat(w.client.participant.view().lastResumeReason()).isEqualTo("rotated");
            ExportLog.Entry e = new ExportLog(dir.resolve("exports")).forFile("btc2026112214.parquet").orElseThrow();
            assertThat(e.total()).isEqualTo(1000);
            assertThat(e.sha256()).hasSize(64);

            w.feed(300, true);
            List<ExportCycle.SymbolResult> r2 = w.exporter(Steps.NONE).run("2026-11-22T15");
            assertThat(r2.get(0).client()).as("a full period counted by the client").isEqualTo("match");
            assertThat(exportFiles()).containsExactly("btc2026112214.parquet",
                    "btc2026112215.parquet", "export-log.txt");
            assertThat(w.account().exact()).isTrue();
            assertThat(w.account().found()).isEqualTo(1300);
        }
    }

    @Test
    void aSecondRotationInTheSameHourGetsADistinctFileNeverAnOverwrite() throws Exception {
        try (ProtocolWorld w = new ProtocolWorld(dir)) {
            w.feed(10, true);
            w.exporter(Steps.NONE).run("2026-11-22T14");
            w.feed(20, true);
            List<ExportCycle.SymbolResult> r = w.exporter(Steps.NONE).run("2026-11-22T14");
            assertThat(r.get(0).rotationId()).isEqualTo("2026-11-22T14-2");
            assertThat(r.get(0).file()).isEqualTo("btc2026112214-2.parquet");
            assertThat(exportFiles()).contains("btc2026112214.parquet", "btc2026112214-2.parquet");
            assertThat(w.account().exact()).isTrue();
        }
    }

    @Test
    void aLiveClientThatDoesNotAnswerIsNotWaitedOnForeverAndItsTableIsLeftAlone() throws Exception {
        try (ProtocolWorld w = new ProtocolWorld(dir)) {
            w.feed(100, true);
            w.clientTicks = false;   // its rotation logic is stuck...
            w.heartbeatOnly = true;  // ...but the process is alive and heartbeats
            List<ExportCycle.SymbolResult> r = w.exporter(Steps.NONE).run("2026-11-22T14");
            assertThat(r.get(0).rotation()).isEqualTo(Outcome.ABANDONED);
            assertThat(r.get(0).error()).contains("no pause within 30 s");
            assertThat(w.tables.exists("btc_previous")).isFalse();
            assertThat(w.tables.rows("btc_current")).hasSize(100);
            assertThat(flags()).as("rotate withdrawn").isEmpty();
            w.clientTicks = true;
            w.heartbeatOnly = false;
            w.feed(50, true);
            assertThat(w.exporter(Steps.NONE).run("2026-11-22T15").get(0).rows()).as("next round takes all")
                    .isEqualTo(150);
            assertThat(w.account().exact()).isTrue();
        }
    }

    @Test
    void aDeadClientDoesNotBlockTheRotation() throws Exception {
        try (ProtocolWorld w = new ProtocolWorld(dir)) {
            w.feed(100, true);
            w.client.participant.tick();
            w.clientTicks = false;
            w.clock.advance(Duration.ofSeconds(45)); // heartbeat now stale: no client process
            List<ExportCycle.SymbolResult> r = w.exporter(Steps.NONE).run("2026-11-22T14");
            assertThat(r.get(0).rotation()).isEqualTo(Outcome.ROTATED_WITHOUT_CLIENT);
            assertThat(r.get(0).client()).isEqualTo("unknown");
            assertThat(r.get(0).rows()).isEqualTo(100);
            assertThat(flags()).isEmpty();
        }
    }

    @Test
    void aClientThatStoppedCleanlyIsNotMistakenForAStuckOne() throws Exception {
        try (ProtocolWorld w = new ProtocolWorld(dir)) {
            w.feed(40, true);
            w.client.participant.close(); // SIGTERM: its last heartbeat says "stopped", seconds ago
            w.client.batcher.close(Duration.ofSeconds(2));
            w.client = null;
            List<ExportCycle.SymbolResult> r = w.exporter(Steps.NONE).run("2026-11-22T14");
            assertThat(r.get(0).rotation()).isEqualTo(Outcome.ROTATED_WITHOUT_CLIENT);
            assertThat(r.get(0).rows()).isEqualTo(40);
        }
    }

    @Test
    void aLeaseTooShortForTheMarginIsNotUsed() throws Exception {
        try (ProtocolWorld w = new ProtocolWorld(dir)) {
            w.client.participant.close();
            w.client = w.new Client(Duration.ofSeconds(15)); // margin is 20 s
            w.feed(10, true);
            List<ExportCycle.SymbolResult> r = w.exporter(Steps.NONE).run("2026-11-22T14");
            assertThat(r.get(0).rotation()).isEqualTo(Outcome.ABANDONED);
            assertThat(r.get(0).error()).contains("lease");
            w.clientRuns(Duration.ofSeconds(16));
            assertThat(w.client.batcher.paused()).as("the client resumed by itself at its lease end").isFalse();
            assertThat(w.client.participant.view().lastResumeReason()).isEqualTo("lease-expired");
            assertThat(w.tables.rows("btc_current")).hasSize(10);
        }
    }

    @Test
    void aClientThatStartsWhileARotateIsPendingAnswersItBeforeInserting() throws Exception {
        try (ProtocolWorld w = new ProtocolWorld(dir)) {
            w.client.participant.close();
            w.client.batcher.close(Duration.ofSeconds(2));
            w.client = null; // no client process
            folder().write(Flags.ROTATE, new Flags.Rotate("2026-11-22T14", w.clock.instant()));
            w.client = w.new Client(Duration.ofSeconds(60)); // starts now
            assertThat(folder().read(Flags.PAUSED, Flags.Paused.class)).get()
                    .satisfies(p -> assertThat(p.id()).isEqualTo("2026-11-22T14"));
            assertThat(w.client.batcher.paused()).isTrue();
        }
    }

    /** The exporter dies at every step; a new exporter recovers; the client is never stuck; nothing lost or doubled. */
    @ParameterizedTest
    @ValueSource(strings = {"rotate-written", "paused-seen", "renamed", "created", "rotated-written", "resumed-seen",
        "export-written", "export-verified", "export-renamed", "export-logged", "export-dropped"})
    void theExporterCrashesAtAStepAndARestartRecovers(String step) throws Exception {
        try (ProtocolWorld w = new ProtocolWorld(dir)) {
            w.feed(500, true);
            ExportCycle dying = w.exporter(s -> {
                if (s.equals(step)) {
                    throw new SimulatedCrash(s);
                }
            });
            assertThatThrownBy(() -> dying.run("2026-11-22T14")).isInstanceOf(SimulatedCrash.class);
            // the client lives on: a lease it holds runs out, then it writes more rows
            w.clientRuns(Duration.ofSeconds(61));
            assertThat(w.client.batcher.paused()).as("client not stuck after " + step).isFalse();
            w.feed(200, false);
            // a new exporter process (it re-creates a current table a crash left missing)
            ExportCycle restarted = w.exporter(Steps.NONE);
            assertThat(restarted.recover()).allMatch(ExportCycle.SymbolResult::ok);
            assertThat(flags()).as("stale flags cleared").isEmpty();
            w.drainClient();
            w.feed(100, true);
            List<ExportCycle.SymbolResult> r = restarted.run("2026-11-22T15");
            assertThat(r).allMatch(ExportCycle.SymbolResult::ok);
            assertThat(w.tables.exists("btc_previous")).isFalse();
            try (Stream<Path> s = Files.list(dir.resolve("exports"))) {
                assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
            }
            List<ExportLog.Entry> log = new ExportLog(dir.resolve("exports")).entries();
            assertThat(log).extracting(ExportLog.Entry::file).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(exportFiles().stream().filter(f -> f.endsWith(".parquet")).toList());
            com.mexcpipe.testkit.soak.Accounting a = w.account();
            assertThat(a.lost()).as("lost after a crash at " + step).isZero();
            assertThat(a.duplicated()).as("duplicated after a crash at " + step).isZero();
            assertThat(a.found()).isEqualTo(800);
        }
    }

    /** The client dies at a step; the exporter is not stuck; a new client process carries on; nothing doubled. */
    @ParameterizedTest
    @ValueSource(strings = {"before-paused", "after-paused", "after-rotated"})
    void theClientCrashesAtAStepAndARestartCarriesOn(String when) throws Exception {
        try (ProtocolWorld w = new ProtocolWorld(dir)) {
            w.feed(400, true);
            w.client.participant.tick();
            ProtocolWorld.Client old = w.client;
            ExportCycle exporter = new ExportCycle(List.of(ProtocolWorld.BTC), w.tables, dir.resolve("control"),
                    dir.resolve("exports"), w.clock, w.clock.sleeper(() -> {
                        ProtocolWorld.Client c = w.client;
                        if (c == null) {
                            return;
                        }
                        boolean paused = folder().exists(Flags.PAUSED);
                        boolean rotated = folder().exists(Flags.ROTATED);
                        boolean dies = (when.equals("before-paused") && !paused)
                                || (when.equals("after-paused") && paused && !rotated)
                                || (when.equals("after-rotated") && rotated);
                        if (dies) {
                            w.client = null; // the process is gone: no more ticks, no more inserts
                            return;
                        }
                        c.participant.tick();
                    }), ProtocolWorld.TIMEOUTS, com.mexcpipe.exporter.parquet.ExportWriterOptions.defaults()
                            .withThreads(1));
            List<ExportCycle.SymbolResult> r = exporter.run("2026-11-22T14");
            assertThat(r).singleElement().satisfies(x -> assertThat(x.ok() || x.rotation() == Outcome.ABANDONED)
                    .as(x.toString()).isTrue());
            assertThat(flags()).as("the exporter cleaned up").isEmpty();
            old.participant.close();
            old.batcher.close(Duration.ofSeconds(2)); // its memory is gone with it; nothing was pending
            w.client = w.new Client(Duration.ofSeconds(60));
            w.feed(100, true);
            assertThat(w.exporter(Steps.NONE).run("2026-11-22T15")).allMatch(ExportCycle.SymbolResult::ok);
            com.mexcpipe.testkit.soak.Accounting a = w.account();
            assertThat(a.lost()).isZero();
            assertThat(a.duplicated()).isZero();
        }
    }
}
