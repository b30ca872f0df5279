package com.mexcpipe.client.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import com.mexcpipe.client.store.RowCounts;
import com.mexcpipe.common.control.ControlFolder;
import com.mexcpipe.common.control.Flags;
import com.mexcpipe.common.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotationParticipantTest {
    @TempDir
    Path dir;
    ManualClock clock;
    ControlFolder folder;
    FakeGate gate;
    RotationParticipant p;

    static final class FakeGate implements InsertGate {
        boolean paused;
        boolean canPause = true;
        RowCounts counts = new RowCounts(1, 2, 3, 4);
        final List<String> calls = new ArrayList<>();

        @Override
        public Optional<RowCounts> pause(Duration maxWait) {
            calls.add("pause");
            if (!canPause) {
                return Optional.empty();
            }
            paused = true;
            return Optional.of(counts);
        }

        @Override
        public void resume(boolean rotated) {
            calls.add("resume(" + rotated + ")");
            paused = false;
        }
    }

    @BeforeEach
    void setUp() {
        clock = ManualClock.at("2026-11-22T14:59:59.000Z");
        folder = new ControlFolder(dir.resolve("btc"));
        gate = new FakeGate();
        p = participant();
    }

    RotationParticipant participant() {
        return new RotationParticipant(folder, gate, clock, Duration.ofSeconds(60), Duration.ofSeconds(5),
                Duration.ofSeconds(5), "BTC_USDT", () -> "connected");
    }

    void exporterWrites(String name, Object flag) throws Exception {
        folder.write(name, flag);
    }

    @Test
    void fullHandshakePausedCarriesCountsAndLeaseThenRotatedResumes() throws Exception {
        p.tick();
        assertThat(gate.calls).isEmpty();
        exporterWrites(Flags.ROTATE, new Flags.Rotate("2026-11-22T14", clock.instant()));
        clock.advance(Duration.ofMillis(300));
        p.tick();
        assertThat(gate.paused).isTrue();
        Flags.Paused paused = folder.read(Flags.PAUSED, Flags.Paused.class).orElseThrow();
        assertThat(paused.id()).isEqualTo("2026-11-22T14");
        assertThat(paused.pausedAt()).isEqualTo(Instant.parse("2026-11-22T14:59:59.300Z"));
        assertThat(paused.leaseUntil()).isEqualTo(Instant.parse("2026-11-22T15:00:59.300Z"));
        assertThat(paused.counts()).isEqualTo(Map.of("t", 1L, "d", 2L, "dp", 3L, "dl", 4L));
        assertThat(paused.countsComplete()).as("started inside the period").isFalse();
        assertThat(paused.countsSince()).isEqualTo(Instant.parse("2026-11-22T14:59:59.000Z"));
        assertThat(paused.pid()).isEqualTo(ProcessHandle.current().pid());

        clock.advance(Duration.ofSeconds(1));
        p.tick();
        assertThat(gate.paused).as("stays paused until rotated").isTrue();
        exporterWrites(Flags.ROTATED, new Flags.Rotated("2026-11-22T14", clock.instant()));
        p.tick();
        assertThat(gate.calls).containsExactly("pause", "resume(true)");
        Flags.Resumed resumed = folder.read(Flags.RESUMED, Flags.Resumed.class).orElseThrow();
        assertThat(resumed.id()).isEqualTo("2026-11-22T14");
        assertThat(resumed.reason()).isEqualTo("rotated");
        assertThat(p.view().countsComplete()).isTrue();
        assertThat(p.view().rotations()).isEqualTo(1);

        folder.clearFlags();
        exporterWrites(Flags.ROTATE, new Flags.Rotate("2026-11-22T15", clock.instant()));
        p.tick();
        assertThat(folder.read(Flags.PAUSED, Flags.Paused.class).orElseThrow().countsComplete())
                .as("after a full rotation the counts cover the period").isTrue();
    }

    @Test
    void theLeaseRunsOutWithoutRotatedThenTheClientResumesByItself() throws Exception {
        exporterWrites(Flags.ROTATE, new Flags.Rotate("2026-11-22T14", clock.instant()));
        p.tick();
        clock.advance(Duration.ofSeconds(59));
        p.tick();
        assertThat(gate.paused).isTrue();
        clock.advance(Duration.ofSeconds(1));
        p.tick();
        assertThat(gate.calls).containsExactly("pause", "resume(false)");
        assertThat(folder.read(Flags.RESUMED, Flags.Resumed.class).orElseThrow().reason()).isEqualTo("lease-expired");
        assertThat(p.view().leaseExpiries()).isEqualTo(1);
        p.tick();
        assertThat(gate.calls).as("the same rotate is not answered twice").hasSize(2);
    }

    @Test
    void theClientNeverResumesEarlyWhenTheExporterClearsTheFolderWithoutRotated() throws Exception {
        exporterWrites(Flags.ROTATE, new Flags.Rotate("2026-11-22T14", clock.instant()));
        p.tick();
        folder.clearFlags();
        clock.advance(Duration.ofSeconds(30));
        p.tick();
        assertThat(gate.paused).isTrue();
        clock.advance(Duration.ofSeconds(30));
        p.tick();
        assertThat(gate.paused).isFalse();
    }

    @Test
    void aPauseThatCannotBeConfirmedIsNotAnnouncedAndIsRetried() throws Exception {
        gate.canPause = false;
        exporterWrites(Flags.ROTATE, new Flags.Rotate("2026-11-22T14", clock.instant()));
        p.tick();
        assertThat(folder.exists(Flags.PAUSED)).isFalse();
        gate.canPause = true;
        p.tick();
        assertThat(folder.exists(Flags.PAUSED)).isTrue();
    }

    @Test
    void aNewProcessHonoursTheLiveLeaseLeftByThePreviousOne() throws Exception {
        exporterWrites(Flags.ROTATE, new Flags.Rotate("2026-11-22T14", clock.instant()));
        Flags.Paused old = new Flags.Paused("2026-11-22T14", clock.instant(), clock.instant().plusSeconds(40),
                Map.of("t", 9L), clock.instant().minusSeconds(3600), true, -1);
        exporterWrites(Flags.PAUSED, old);
        p.tick();
        assertThat(gate.paused).isTrue();
        assertThat(folder.read(Flags.PAUSED, Flags.Paused.class).orElseThrow()).as("not rewritten").isEqualTo(old);
        clock.advance(Duration.ofSeconds(39));
        p.tick();
        assertThat(gate.paused).isTrue();
        clock.advance(Duration.ofSeconds(1));
        p.tick();
        assertThat(gate.calls).containsExactly("pause", "resume(false)");
    }

    @Test
    void aNewProcessFindingRotatedResumesWithAFreshCount() throws Exception {
        exporterWrites(Flags.ROTATE, new Flags.Rotate("2026-11-22T14", clock.instant()));
        exporterWrites(Flags.PAUSED, new Flags.Paused("2026-11-22T14", clock.instant(), clock.instant().plusSeconds(40),
                Map.of(), clock.instant(), true, -1));
        exporterWrites(Flags.ROTATED, new Flags.Rotated("2026-11-22T14", clock.instant()));
        p.tick();
        assertThat(gate.calls).containsExactly("pause", "resume(true)");
        assertThat(folder.read(Flags.RESUMED, Flags.Resumed.class).orElseThrow().reason()).isEqualTo("rotated");
    }

    @Test
    void rotatedWithoutAnyPauseMeansTheTableWasSwappedWhileNoClientRan() throws Exception {
        exporterWrites(Flags.ROTATE, new Flags.Rotate("2026-11-22T14", clock.instant()));
        exporterWrites(Flags.ROTATED, new Flags.Rotated("2026-11-22T14", clock.instant()));
        p.tick();
        assertThat(gate.calls).containsExactly("resume(true)");
        assertThat(p.view().countsComplete()).isFalse();
        assertThat(folder.read(Flags.RESUMED, Flags.Resumed.class).orElseThrow().id()).isEqualTo("2026-11-22T14");
    }

    @Test
    void aNewRotateWhilePausedIsAnsweredWithAFreshLease() throws Exception {
        exporterWrites(Flags.ROTATE, new Flags.Rotate("2026-11-22T14", clock.instant()));
        p.tick();
        clock.advance(Duration.ofSeconds(50));
        exporterWrites(Flags.ROTATE, new Flags.Rotate("2026-11-22T14-2", clock.instant()));
        p.tick();
        Flags.Paused paused = folder.read(Flags.PAUSED, Flags.Paused.class).orElseThrow();
        assertThat(paused.id()).isEqualTo("2026-11-22T14-2");
        assertThat(paused.leaseUntil()).isEqualTo(clock.instant().plusSeconds(60));
        clock.advance(Duration.ofSeconds(20));
        p.tick();
        assertThat(gate.paused).as("the new lease holds").isTrue();
    }

    @Test
    void heartbeatIsWrittenAndRefreshed() throws Exception {
        p.tick();
        Flags.Heartbeat hb = folder.read(Flags.HEARTBEAT, Flags.Heartbeat.class).orElseThrow();
        assertThat(hb.at()).isEqualTo(clock.instant());
        assertThat(hb.symbol()).isEqualTo("BTC_USDT");
        assertThat(hb.state()).isEqualTo("running, connected");
        clock.advance(Duration.ofSeconds(4));
        p.tick();
        assertThat(folder.read(Flags.HEARTBEAT, Flags.Heartbeat.class).orElseThrow().at()).isEqualTo(hb.at());
        clock.advance(Duration.ofSeconds(1));
        p.tick();
        assertThat(folder.read(Flags.HEARTBEAT, Flags.Heartbeat.class).orElseThrow().at()).isEqualTo(clock.instant());
    }
}
