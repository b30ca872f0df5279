package com.mexcpipe.exporter;

import com.mexcpipe.common.Sleeper;
import com.mexcpipe.exporter.export.ExportNames;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exporter's schedule: at start, recovery (finish cut swaps and leftover exports); then a rotation + export of
 * every symbol at each UTC hour boundary (the cycle runs right at HH:00 and is done well before HH:01 for hourly
 * volumes), and every {@code retryEvery} a retry of exports that failed.
 */
public final class ExporterService implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ExporterService.class);

    private final ExporterConfig cfg;
    private final ExportCycle cycle;
    private final Clock clock;
    private final Sleeper sleeper;
    private volatile List<ExportCycle.SymbolResult> lastResults = List.of();
    private volatile Instant lastCycleAt;
    private volatile Instant nextCycleAt;
    private volatile boolean stopped;

    public ExporterService(ExporterConfig cfg, ExportCycle cycle, Clock clock, Sleeper sleeper) {
        this.cfg = cfg;
        this.cycle = cycle;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** The next UTC hour boundary strictly after {@code t}. */
    static Instant nextBoundary(Instant t) {
        return t.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
    }

    @Override
    public void run() {
        try {
            lastResults = locked("recovery", cycle::recover);
            while (!stopped) {
                Instant next = nextBoundary(clock.instant());
                nextCycleAt = next;
                log.info("next rotation at {}", next);
                while (!stopped && clock.instant().isBefore(next)) {
                    Duration left = Duration.between(clock.instant(), next);
                    sleeper.sleep(left.compareTo(cfg.retryEvery()) < 0 ? left : cfg.retryEvery());
                    if (clock.instant().isBefore(next) && lastResults.stream().anyMatch(r -> !r.ok())) {
                        lastResults = locked("retry", cycle::retryLeftovers);
                    }
                }
                if (stopped) {
                    break;
                }
                String label = ExportNames.hourClosedBy(next);
                lastResults = locked("cycle " + label, () -> cycle.run(label));
                lastCycleAt = clock.instant();
                summarize(label, lastResults);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    interface Work {
        List<ExportCycle.SymbolResult> run() throws InterruptedException;
    }

    private List<ExportCycle.SymbolResult> locked(String what, Work work) throws InterruptedException {
        try {
            Optional<CycleLock> lock = CycleLock.acquire(cfg.controlDir(), Duration.ofMinutes(10));
            if (lock.isEmpty()) {
                log.warn("{}: another export cycle (e.g. --once) still runs after 10 minutes; skipping", what);
                return lastResults;
            }
            try (CycleLock l = lock.get()) {
                return work.run();
            }
        } catch (java.io.IOException e) {
            log.error("{}: cannot take the cycle lock: {}", what, e.toString());
            return lastResults;
        }
    }

    static void summarize(String label, List<ExportCycle.SymbolResult> results) {
        for (ExportCycle.SymbolResult r : results) {
            if (r.ok()) {
                log.info("cycle {}: {} {} {}", label, r.symbol(), r.rotation(),
                        r.exported() ? "-> " + r.file() + " (" + r.rows() + " rows, client " + r.client() + ")"
                                : r.rotationNote() == null ? "" : r.rotationNote());
            } else {
                log.error("cycle {}: {} FAILED: {}", label, r.symbol(), r.error());
            }
        }
    }

    public List<ExportCycle.SymbolResult> lastResults() {
        return lastResults;
    }

    public Instant lastCycleAt() {
        return lastCycleAt;
    }

    public Instant nextCycleAt() {
        return nextCycleAt;
    }

    public void stop() {
        stopped = true;
    }
}
