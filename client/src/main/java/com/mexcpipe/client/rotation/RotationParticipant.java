package com.mexcpipe.client.rotation;

import com.mexcpipe.client.store.RowCounts;
import com.mexcpipe.common.control.ControlFolder;
import com.mexcpipe.common.control.Flags;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's side of the rotation protocol (DESIGN §5) on {@code control/<base>/}: answers {@code rotate} with
 * {@code paused} (a lease), resumes on {@code rotated} or when the lease runs out, writes {@code resumed}; keeps a
 * heartbeat. Driven by {@link #tick()}: a poller calls it every {@code poll} (and early on file-watch events, which
 * some filesystems drop, hence the polling), tests call it with an injected clock.
 */
public final class RotationParticipant implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RotationParticipant.class);

    public enum Phase { IDLE, PAUSED }

    /** For status: the current phase and what it is about. */
    public record View(Phase phase, String rotationId, Instant leaseUntil, String lastRotationId,
            Instant lastResumedAt, String lastResumeReason, long rotations, long leaseExpiries, Instant countsSince,
            boolean countsComplete) {
    }

    private final ControlFolder folder;
    private final InsertGate gate;
    private final Clock clock;
    private final Duration lease;
    private final Duration pauseWait;
    private final Duration heartbeatEvery;
    private final String symbol;
    private final Supplier<String> stateForHeartbeat;
    private final long pid = ProcessHandle.current().pid();
    private final Instant startedAt;

    /** The rotation this client is paused for; null = not paused (IDLE). */
    private String pausedId;
    private Instant leaseUntil;
    private String lastAnsweredId;
    private Instant lastResumedAt;
    private String lastResumeReason;
    private Instant countsSince;
    private boolean countsComplete;
    private Instant lastHeartbeat = Instant.EPOCH;
    private long rotations;
    private long leaseExpiries;

    private Thread poller;
    private WatchService watcher;
    private volatile boolean closed;

    public RotationParticipant(ControlFolder folder, InsertGate gate, Clock clock, Duration lease, Duration pauseWait,
            Duration heartbeatEvery, String symbol, Supplier<String> stateForHeartbeat) {
        this.folder = folder;
        this.gate = gate;
        this.clock = clock;
        this.lease = lease;
        this.pauseWait = pauseWait;
        this.heartbeatEvery = heartbeatEvery;
        this.symbol = symbol;
        this.stateForHeartbeat = stateForHeartbeat;
        this.startedAt = clock.instant();
        this.countsSince = startedAt;
    }

    /** One step of the protocol; safe to call at any time from one thread. */
    public synchronized void tick() {
        Instant now = clock.instant();
        try {
            if (!now.isBefore(lastHeartbeat.plus(heartbeatEvery))) {
                folder.write(Flags.HEARTBEAT, new Flags.Heartbeat(pid, startedAt, now, heartbeatState(), symbol));
                lastHeartbeat = now;
            }
            Optional<Flags.Rotate> rotate = folder.read(Flags.ROTATE, Flags.Rotate.class);
            if (pausedId == null) {
                if (rotate.isPresent() && !rotate.get().id().equals(lastAnsweredId)) {
                    answer(rotate.get(), now);
                }
            } else {
                whilePaused(rotate, now);
            }
        } catch (IOException e) {
            log.error("control folder {} not writable: {}", folder.dir(), e.toString());
        }
    }

    private void answer(Flags.Rotate rotate, Instant now) throws IOException {
        String id = rotate.id();
        Optional<Flags.Rotated> rotated = folder.read(Flags.ROTATED, Flags.Rotated.class).filter(r -> r.id().equals(id));
        Optional<Flags.Paused> paused = folder.read(Flags.PAUSED, Flags.Paused.class).filter(p -> p.id().equals(id));
        if (paused.isPresent() && paused.get().pid() != pid && now.isBefore(paused.get().leaseUntil())) {
            // a previous process of this client paused for this rotation and died: its promise still binds us
            if (gate.pause(pauseWait).isEmpty()) {
                return;
            }
            log.info("rotation {}: honouring the pause lease (until {}) left by a previous client process", id,
                    paused.get().leaseUntil());
            enterPaused(id, paused.get().leaseUntil());
            if (rotated.isPresent()) {
                resume(now, true, "rotated");
            }
            return;
        }
        if (rotated.isPresent()) {
            // the table was swapped while no live lease bound us (this process never paused for it)
            log.info("rotation {}: table already rotated; counting anew", id);
            gate.resume(true);
            countsSince = now;
            countsComplete = false;
            lastAnsweredId = id;
            folder.write(Flags.RESUMED, new Flags.Resumed(id, now, "rotated"));
            return;
        }
        Optional<RowCounts> counts = gate.pause(pauseWait);
        if (counts.isEmpty()) {
            log.warn("rotation {}: the insert in flight did not return within {} s; will answer when it does", id,
                    pauseWait.toSeconds());
            return;
        }
        Instant until = now.plus(lease);
        folder.write(Flags.PAUSED, new Flags.Paused(id, now, until, counts.get().byLabel(), countsSince,
                countsComplete, pid));
        log.info("rotation {}: paused inserts (lease until {}), {} rows acknowledged since {}{}", id, until,
                counts.get().total(), countsSince, countsComplete ? "" : " (partial: client started inside the period)");
        enterPaused(id, until);
    }

    private void enterPaused(String id, Instant until) {
        pausedId = id;
        leaseUntil = until;
    }

    private void whilePaused(Optional<Flags.Rotate> rotate, Instant now) throws IOException {
        Optional<Flags.Rotated> rotated = folder.read(Flags.ROTATED, Flags.Rotated.class);
        if (rotated.isPresent() && rotated.get().id().equals(pausedId)) {
            resume(now, true, "rotated");
            return;
        }
        if (rotate.isPresent() && !rotate.get().id().equals(pausedId)) {
            // the exporter gave up on our rotation and started another: answer it, still paused
            Optional<RowCounts> counts = gate.pause(pauseWait);
            String id = rotate.get().id();
            Instant until = now.plus(lease);
            folder.write(Flags.PAUSED, new Flags.Paused(id, now, until, counts.orElseThrow().byLabel(), countsSince,
                    countsComplete, pid));
            log.info("rotation {} replaces {}: still paused, lease until {}", id, pausedId, until);
            enterPaused(id, until);
            return;
        }
        if (!now.isBefore(leaseUntil)) {
            leaseExpiries++;
            log.warn("rotation {}: no 'rotated' before the lease ran out ({}); resuming inserts into the same table "
                    + "(nothing is lost; the next rotation takes these rows)", pausedId, leaseUntil);
            resume(now, false, "lease-expired");
        }
    }

    private void resume(Instant now, boolean rotated, String reason) throws IOException {
        gate.resume(rotated);
        if (rotated) {
            countsSince = now;
            countsComplete = true;
            rotations++;
        }
        folder.write(Flags.RESUMED, new Flags.Resumed(pausedId, now, reason));
        log.info("rotation {}: resumed ({})", pausedId, reason);
        lastAnsweredId = pausedId;
        lastResumedAt = now;
        lastResumeReason = reason;
        pausedId = null;
        leaseUntil = null;
    }

    private String heartbeatState() {
        String s = stateForHeartbeat == null ? "" : stateForHeartbeat.get();
        return (pausedId != null ? "paused " + pausedId : "running") + (s.isEmpty() ? "" : ", " + s);
    }

    public synchronized View view() {
        return new View(pausedId == null ? Phase.IDLE : Phase.PAUSED, pausedId, leaseUntil, lastAnsweredId, lastResumedAt, lastResumeReason, rotations,
                leaseExpiries, countsSince, countsComplete);
    }

    /** Starts polling every {@code poll}, woken early by file events where the filesystem reports them. */
    public RotationParticipant start(Duration poll) throws IOException {
        Files.createDirectories(folder.dir());
        try {
            watcher = FileSystems.getDefault().newWatchService();
            folder.dir().register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        } catch (IOException | UnsupportedOperationException e) {
            log.info("no file watching on {} ({}); polling every {} ms", folder.dir(), e.toString(), poll.toMillis());
            watcher = null;
        }
        poller = new Thread(() -> {
            while (!closed) {
                tick();
                try {
                    if (watcher != null) {
                        var key = watcher.poll(poll.toMillis(), TimeUnit.MILLISECONDS);
                        if (key != null) {
                            key.pollEvents();
                            key.reset();
                        }
                    } else {
                        Thread.sleep(poll.toMillis());
                    }
                } catch (InterruptedException | ClosedWatchServiceException e) {
                    return;
                }
            }
        }, "rotation-" + symbol);
        poller.setDaemon(true);
        poller.start();
        return this;
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        if (poller != null) {
            poller.interrupt();
            poller.join(5_000);
        }
        synchronized (this) {
            try {
                // tells the exporter no client process is running any more (a lease this process holds still binds)
                folder.write(Flags.HEARTBEAT, new Flags.Heartbeat(pid, startedAt, clock.instant(), Flags.STOPPED,
                        symbol));
            } catch (IOException e) {
                log.warn("could not mark {} stopped: {}", folder.file(Flags.HEARTBEAT), e.toString());
            }
        }
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
