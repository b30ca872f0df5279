package com.mexcpipe.exporter.rotation;

import com.mexcpipe.common.Sleeper;
import com.mexcpipe.common.Symbol;
import com.mexcpipe.common.control.ControlFolder;
import com.mexcpipe.common.control.Flags;
import com.mexcpipe.exporter.store.TableOps;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exporter's side of the rotation protocol (DESIGN §5) for one symbol: {@code rotate} → wait for the client's
 * {@code paused} lease → RENAME {@code _current} TO {@code _previous} + CREATE {@code _current} → {@code rotated}
 * → wait for {@code resumed} → clear the flags. It renames only under a live lease with margin, or when no client
 * process is running (stale heartbeat; the {@code rotate} flag stays up during the rename so a client that starts
 * pauses first). A live client that does not answer makes it abandon the round: the table keeps growing and the
 * next round takes it.
 */
public final class RotationCoordinator {
    private static final Logger log = LoggerFactory.getLogger(RotationCoordinator.class);

    public enum Outcome {
        /** Renamed under the client's pause lease; the client's counts are in {@link Result#paused()}. */
        ROTATED,
        /** Renamed with no client process running (its counts are unknown). */
        ROTATED_WITHOUT_CLIENT,
        /** Not renamed: a live client did not pause in time, or its lease was too short. */
        ABANDONED,
        /** Not attempted: {@code _previous} still exists, or there is no {@code _current}. */
        SKIPPED
    }

    public record Result(Outcome outcome, String id, Flags.Paused paused, Instant renamedAt, String reason) {
        public boolean renamed() {
            return outcome == Outcome.ROTATED || outcome == Outcome.ROTATED_WITHOUT_CLIENT;
        }
    }

    private final Symbol symbol;
    private final ControlFolder folder;
    private final TableOps tables;
    private final ExporterState state;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RotationTimeouts t;
    private final com.mexcpipe.exporter.Steps steps;

    public RotationCoordinator(Symbol symbol, ControlFolder folder, TableOps tables, ExporterState state, Clock clock,
            Sleeper sleeper, RotationTimeouts timeouts) {
        this(symbol, folder, tables, state, clock, sleeper, timeouts, com.mexcpipe.exporter.Steps.NONE);
    }

    public RotationCoordinator(Symbol symbol, ControlFolder folder, TableOps tables, ExporterState state, Clock clock,
            Sleeper sleeper, RotationTimeouts timeouts, com.mexcpipe.exporter.Steps steps) {
        this.steps = steps;
        this.symbol = symbol;
        this.folder = folder;
        this.tables = tables;
        this.state = state;
        this.clock = clock;
        this.sleeper = sleeper;
        this.t = timeouts;
    }

    public Result rotate(String id) throws Exception {
        String cur = symbol.currentTable();
        String prev = symbol.previousTable();
        if (tables.exists(prev)) {
            return new Result(Outcome.SKIPPED, id, null, null, prev + " still exists (its export has not finished)");
        }
        if (!tables.exists(cur)) {
            return new Result(Outcome.SKIPPED, id, null, null, cur + " does not exist (has setup-db run?)");
        }
        folder.clearFlags();
        folder.write(Flags.ROTATE, new Flags.Rotate(id, clock.instant()));
        steps.reached("rotate-written");
        log.info("{} rotation {}: requested, waiting up to {} s for the client's pause", symbol, id,
                t.pauseAck().toSeconds());

        Flags.Paused paused = awaitPaused(id);
        if (paused != null) {
            steps.reached("paused-seen");
        }
        Instant now = clock.instant();
        if (paused == null) {
            Optional<Flags.Heartbeat> hb = folder.read(Flags.HEARTBEAT, Flags.Heartbeat.class);
            boolean alive = hb.isPresent() && hb.get().alive(now, t.clientStale());
            if (alive) {
                folder.delete(Flags.ROTATE);
                String why = "client alive (heartbeat " + hb.get().at() + ") but no pause within "
                        + t.pauseAck().toSeconds() + " s";
                log.warn("{} rotation {}: abandoned, {}; the table keeps growing until the next rotation", symbol, id,
                        why);
                return new Result(Outcome.ABANDONED, id, null, null, why);
            }
            log.warn("{} rotation {}: no client process running (heartbeat {}); rotating without its counts", symbol,
                    id, hb.map(h -> h.at() + " " + h.state()).orElse("never written"));
        } else if (!now.isBefore(paused.leaseUntil().minus(t.leaseMargin()))) {
            folder.delete(Flags.ROTATE);
            String why = "pause lease ends " + paused.leaseUntil() + ", less than " + t.leaseMargin().toSeconds()
                    + " s from now";
            log.warn("{} rotation {}: abandoned, {}", symbol, id, why);
            return new Result(Outcome.ABANDONED, id, paused, null, why);
        }

        ExporterState.SymbolState before = state.load();
        ExporterState.Pending pending = new ExporterState.Pending(id, ExporterState.Status.RENAMING,
                before.lastRotatedAt(), null, paused == null ? null : paused.counts(),
                paused == null ? null : paused.countsComplete(), null);
        state.savePending(pending);
        tables.rename(cur, prev);
        Instant renamedAt = clock.instant();
        steps.reached("renamed");
        tables.create(cur);
        steps.reached("created");
        if (paused != null && !clock.instant().isBefore(paused.leaseUntil())) {
            log.error("{} rotation {}: the swap finished after the client's lease ended ({}); rows inserted in between"
                    + " are in {} and will be exported with it", symbol, id, paused.leaseUntil(), prev);
        }
        state.rotated(pending.withStatus(ExporterState.Status.RENAMED, renamedAt));
        folder.write(Flags.ROTATED, new Flags.Rotated(id, renamedAt));
        steps.reached("rotated-written");
        log.info("{} rotation {}: {} renamed to {}, fresh {} created", symbol, id, cur, prev, cur);
        if (paused != null) {
            awaitResumed(id, paused.leaseUntil());
            steps.reached("resumed-seen");
        }
        folder.clearFlags();
        return new Result(paused == null ? Outcome.ROTATED_WITHOUT_CLIENT : Outcome.ROTATED, id, paused, renamedAt,
                null);
    }

    private Flags.Paused awaitPaused(String id) throws InterruptedException {
        Instant deadline = clock.instant().plus(t.pauseAck());
        while (true) {
            Optional<Flags.Paused> p = folder.read(Flags.PAUSED, Flags.Paused.class).filter(x -> x.id().equals(id));
            if (p.isPresent()) {
                return p.get();
            }
            if (!clock.instant().isBefore(deadline)) {
                return null;
            }
            sleeper.sleep(t.poll());
        }
    }

    private void awaitResumed(String id, Instant leaseUntil) throws InterruptedException {
        Instant deadline = clock.instant().plus(t.resumeWait());
        while (clock.instant().isBefore(deadline)) {
            if (folder.read(Flags.RESUMED, Flags.Resumed.class).filter(r -> r.id().equals(id)).isPresent()) {
                return;
            }
            sleeper.sleep(t.poll());
        }
        log.warn("{} rotation {}: no 'resumed' within {} s; the client resumes by itself at its lease end ({})",
                symbol, id, t.resumeWait().toSeconds(), leaseUntil);
    }

    /**
     * Start-up recovery: completes a swap cut by a crash (re-creates {@code _current}, tells a still-paused client
     * {@code rotated}), forgets a rename that never happened, and clears stale flags.
     */
    public void recover() throws Exception {
        String cur = symbol.currentTable();
        String prev = symbol.previousTable();
        boolean prevExists = tables.exists(prev);
        if (prevExists && !tables.exists(cur)) {
            log.warn("{}: {} exists without {} (a swap was cut short); creating {}", symbol, prev, cur, cur);
            tables.create(cur);
        }
        Optional<ExporterState.Pending> pending = state.pending();
        if (pending.isPresent() && pending.get().status() == ExporterState.Status.RENAMING) {
            if (prevExists) {
                state.rotated(pending.get().withStatus(ExporterState.Status.RENAMED, clock.instant()));
            } else {
                log.info("{}: rotation {} never renamed (crash before the swap); forgetting it", symbol,
                        pending.get().id());
                state.clearPending();
            }
        }
        pending = state.pending();
        Optional<Flags.Paused> paused = folder.read(Flags.PAUSED, Flags.Paused.class);
        if (prevExists && pending.isPresent() && paused.isPresent() && paused.get().id().equals(pending.get().id())
                && clock.instant().isBefore(paused.get().leaseUntil())
                && !folder.exists(Flags.ROTATED)) {
            log.info("{}: completing rotation {} for the paused client", symbol, pending.get().id());
            folder.write(Flags.ROTATED, new Flags.Rotated(pending.get().id(), pending.get().renamedAt()));
            awaitResumed(pending.get().id(), paused.get().leaseUntil());
        }
        if (folder.exists(Flags.ROTATE) || folder.exists(Flags.PAUSED) || folder.exists(Flags.ROTATED)
                || folder.exists(Flags.RESUMED)) {
            log.info("{}: clearing stale rotation flags", symbol);
        }
        folder.clearFlags();
    }
}
