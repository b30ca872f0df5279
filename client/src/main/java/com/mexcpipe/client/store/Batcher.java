package com.mexcpipe.client.store;

import com.mexcpipe.common.Row;
import com.mexcpipe.common.RowType;
import com.mexcpipe.common.clickhouse.ClickHouseErrors;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds rows until the store acknowledges them: the client's one write boundary.
 *
 * <ul>
 *   <li>Rows are numbered in arrival order and sent oldest first in batches (every {@code flushInterval} or
 *       {@code batchMaxRows}) by one flusher thread, so at most one insert is in flight.</li>
 *   <li>A failed insert is retried with the same rows (capped exponential backoff with full jitter; a fatal failure
 *       is retried slowly and reported). Nothing is dropped.</li>
 *   <li>Past {@code memoryMaxBytes} the buffered rows spill to the {@link Spool}; spooled rows are sent before
 *       newer ones. Past {@code spoolMaxBytes}, {@link #add} blocks and says so.</li>
 *   <li>{@link #pause} (rotation) stops new inserts and waits for the one in flight; rows keep buffering.</li>
 *   <li>{@link #close} flushes within a budget, then spools whatever is left (also when paused).</li>
 * </ul>
 */
public final class Batcher implements AutoCloseable, com.mexcpipe.client.rotation.InsertGate {
    private static final Logger log = LoggerFactory.getLogger(Batcher.class);

    private enum Source { SPOOL, MEMORY }

    private record Batch(List<Row> rows, long firstSeq, Source source) {
    }

    /** A consistent view for status, metrics and the stats line. */
    public record Stats(RowCounts added, RowCounts acked, RowCounts ackedThisPeriod, long bufferedRows,
            long bufferedBytes, long spooledRows, long spoolBytes, long inserts, long insertFailures,
            long consecutiveFailures, String lastError, ClickHouseErrors.Kind lastErrorKind, long lastInsertMillis,
            long maxInsertMillis, long lastAckAtMillis, boolean paused, boolean blocked) {
    }

    private final RowStore store;
    private final Spool spool;
    private final BatcherConfig cfg;
    private final Backoff backoff;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition idle = lock.newCondition();
    private final Condition space = lock.newCondition();

    private final ArrayDeque<Row> mem = new ArrayDeque<>();
    private long memBytes;
    /** Sequence number of the next row added; the buffered rows are the last {@code mem.size()} before it. */
    private long nextSeq;
    private long oldestMemNanos;
    private Batch inflight;
    private boolean inserting;
    private boolean pauseRequested;
    private boolean closing;
    private boolean stopped;
    /** close() has spooled everything: a late row goes straight to the spool. */
    private boolean closed;
    private boolean blocked;

    private final long[] added = new long[5];
    private final long[] acked = new long[5];
    private final long[] ackedPeriod = new long[5];
    private long inserts;
    private long insertFailures;
    private long consecutiveFailures;
    private String lastError;
    private ClickHouseErrors.Kind lastErrorKind;
    private long lastInsertMillis;
    private long maxInsertMillis;
    private long lastAckAtMillis;

    private final Thread flusher;

    public Batcher(RowStore store, Spool spool, BatcherConfig cfg) {
        this.store = store;
        this.spool = spool;
        this.cfg = cfg;
        this.backoff = new Backoff(cfg.retryMin(), cfg.retryMax(), () -> ThreadLocalRandom.current().nextDouble());
        this.nextSeq = spool.nextSeq();
        this.flusher = new Thread(this::flushLoop, "batcher-flush");
        this.flusher.setDaemon(true);
    }

    public Batcher start() {
        flusher.start();
        return this;
    }

    /** Buffers one row. Blocks only when memory and spool are both full (and logs why). */
    public void add(long ts, RowType mt, String m) {
        Row row = new Row(ts, mt, m);
        lock.lock();
        try {
            if (closed) {
                spoolLate(row);
                return;
            }
            boolean first = mem.isEmpty();
            if (first) {
                oldestMemNanos = System.nanoTime();
            }
            mem.addLast(row);
            memBytes += estimate(row);
            nextSeq++;
            added[mt.code()]++;
            if (memBytes > cfg.memoryMaxBytes()) {
                spill();
            }
            if (first || mem.size() >= cfg.batchMaxRows()) {
                work.signal(); // first row: the flusher starts this batch's flush-interval clock
            }
        } finally {
            lock.unlock();
        }
    }

    /** A row that arrives after close(): never dropped, written to the spool on its own (lock held). */
    private void spoolLate(Row row) {
        try {
            spool.append(nextSeq, List.of(row));
            nextSeq++;
            added[row.mt().code()]++;
            log.warn("a row arrived after shutdown; spooled to {}", spool.directory());
        } catch (IOException e) {
            log.error("LOSS: a row arrived after shutdown and could not be spooled: {}", e.toString());
            throw new IllegalStateException("batcher closed and spool failed", e);
        }
    }

    private long memFirstSeq() {
        return nextSeq - mem.size();
    }

    private static long estimate(Row r) {
        return 64 + r.m().length();
    }

    /** Moves every buffered row to a new spool segment (lock held). */
    private void spill() {
        long waitLoggedAt = 0;
        while (true) {
            if (spool.bytes() + memBytes > cfg.spoolMaxBytes()) {
                blocked = true;
                if (System.nanoTime() - waitLoggedAt > TimeUnit.SECONDS.toNanos(15)) {
                    waitLoggedAt = System.nanoTime();
                    log.error("BLOCKED: memory buffer ({} rows) and spool ({} MiB) are full; holding the stream until "
                            + "ClickHouse takes rows (last error: {})", mem.size(), spool.bytes() >> 20, lastError);
                }
                space.awaitUninterruptibly();
                continue;
            }
            try {
                List<Row> rows = new ArrayList<>(mem);
                spool.append(memFirstSeq(), rows);
                log.warn("spilled {} buffered rows to the spool ({} rows, {} MiB spooled); ClickHouse: {}", rows.size(),
                        spool.rows(), spool.bytes() >> 20, lastError == null ? "slow" : lastError);
                mem.clear();
                memBytes = 0;
                blocked = false;
                return;
            } catch (IOException e) {
                blocked = true;
                log.error("BLOCKED: cannot spill to spool {} ({}); retrying in 1 s", spool.directory(), e.toString());
                try {
                    space.await(1, TimeUnit.SECONDS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Stops sending inserts and waits until the insert in flight (if any) has returned. Rows keep buffering.
     * Returns the rows acknowledged since the last rotation, or empty if the in-flight insert did not return
     * within {@code maxWait} (then the pause is withdrawn: the caller must not claim to be paused).
     */
    @Override
    public Optional<RowCounts> pause(Duration maxWait) {
        lock.lock();
        try {
            pauseRequested = true;
            long deadline = System.nanoTime() + maxWait.toNanos();
            while (inserting) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    pauseRequested = false;
                    work.signal();
                    return Optional.empty();
                }
                idle.awaitNanos(left);
            }
            return Optional.of(RowCounts.of(ackedPeriod));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pauseRequested = false;
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** Sends inserts again; {@code rotated} starts a new count period (the table was swapped). */
    @Override
    public void resume(boolean rotated) {
        lock.lock();
        try {
            pauseRequested = false;
            if (rotated) {
                java.util.Arrays.fill(ackedPeriod, 0);
            }
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    public boolean paused() {
        lock.lock();
        try {
            return pauseRequested;
        } finally {
            lock.unlock();
        }
    }

    public Stats stats() {
        lock.lock();
        try {
            long inflightRows = inflight != null && inflight.source == Source.MEMORY ? inflight.rows.size() : 0;
            return new Stats(RowCounts.of(added), RowCounts.of(acked), RowCounts.of(ackedPeriod),
                    mem.size() + inflightRows, memBytes, spool.rows(), spool.bytes(), inserts, insertFailures,
                    consecutiveFailures, lastError, lastErrorKind, lastInsertMillis, maxInsertMillis, lastAckAtMillis,
                    pauseRequested, blocked);
        } finally {
            lock.unlock();
        }
    }

    private void flushLoop() {
        lock.lock();
        try {
            while (!stopped) {
                if (pauseRequested) {
                    work.awaitUninterruptibly();
                    continue;
                }
                if (inflight == null) {
                    inflight = takeBatch();
                    if (inflight == null) {
                        if (closing && mem.isEmpty() && spool.isEmpty()) {
                            idle.signalAll();
                        }
                        long wait = mem.isEmpty() ? TimeUnit.SECONDS.toNanos(1)
                                : cfg.flushInterval().toNanos() - (System.nanoTime() - oldestMemNanos);
                        work.awaitNanos(Math.max(wait, TimeUnit.MILLISECONDS.toNanos(1)));
                        continue;
                    }
                }
                Batch batch = inflight;
                inserting = true;
                Exception failure = null;
                long t0 = System.nanoTime();
                lock.unlock();
                try {
                    store.insert(batch.rows);
                } catch (Exception e) {
                    failure = e;
                } finally {
                    lock.lock();
                    inserting = false;
                    idle.signalAll();
                }
                long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                if (failure == null) {
                    acknowledge(batch, tookMs);
                } else {
                    failed(failure);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopped = true;
            idle.signalAll();
            lock.unlock();
        }
    }

    /** The next batch, oldest rows first; null when nothing is due (lock held). */
    private Batch takeBatch() throws InterruptedException {
        long memHead = mem.isEmpty() ? Long.MAX_VALUE : memFirstSeq();
        if (spool.headSeq() < memHead) {
            try {
                long first = spool.headSeq();
                List<Row> rows = spool.peek(cfg.batchMaxRows());
                return new Batch(rows, first, Source.SPOOL);
            } catch (IOException e) {
                try {
                    int held = spool.quarantineHead();
                    log.error("spool segment damaged, moved aside (*.damaged) with {} rows for manual recovery: {}",
                            held, e.toString());
                } catch (IOException moveFailed) {
                    log.error("spool segment damaged ({}) and cannot be moved aside ({}); retrying in 5 s", e,
                            moveFailed.toString());
                    work.await(5, TimeUnit.SECONDS);
                }
                return null;
            }
        }
        if (mem.isEmpty()) {
            return null;
        }
        boolean due = closing || mem.size() >= cfg.batchMaxRows()
                || System.nanoTime() - oldestMemNanos >= cfg.flushInterval().toNanos();
        if (!due) {
            return null;
        }
        int n = Math.min(mem.size(), cfg.batchMaxRows());
        long first = memFirstSeq();
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Row r = mem.pollFirst();
            memBytes -= estimate(r);
            rows.add(r);
        }
        Batch b = new Batch(rows, first, Source.MEMORY);
        oldestMemNanos = System.nanoTime();
        return b;
    }

    private void acknowledge(Batch batch, long tookMs) throws InterruptedException {
        if (batch.source == Source.SPOOL) {
            try {
                spool.ack(batch.rows.size());
            } catch (IOException e) {
                // stored, but progress not recorded: a restart would send these rows again (duplicates, not loss)
                log.error("could not record spool progress ({}); rows may be sent twice after a restart", e.toString());
            }
        }
        for (Row r : batch.rows) {
            acked[r.mt().code()]++;
            ackedPeriod[r.mt().code()]++;
        }
        inserts++;
        lastInsertMillis = tookMs;
        maxInsertMillis = Math.max(maxInsertMillis, tookMs);
        lastAckAtMillis = System.currentTimeMillis();
        if (consecutiveFailures > 0) {
            log.info("ClickHouse accepts inserts again after {} failed attempt(s)", consecutiveFailures);
        }
        consecutiveFailures = 0;
        lastError = null;
        lastErrorKind = null;
        backoff.reset();
        inflight = null;
        space.signalAll();
    }

    private void failed(Exception e) throws InterruptedException {
        ClickHouseErrors.Failure f = ClickHouseErrors.classify(e);
        insertFailures++;
        consecutiveFailures++;
        lastError = (f.code() > 0 ? "code " + f.code() + ": " : "") + f.message();
        lastErrorKind = f.kind();
        Duration delay = f.retryable() ? backoff.next() : cfg.fatalRetry();
        if (consecutiveFailures == 1 || consecutiveFailures % 10 == 0 || !f.retryable()) {
            log.warn("insert of {} rows failed ({} attempt {}; {}), keeping them and retrying in {} ms",
                    inflight.rows.size(), f.kind(), consecutiveFailures, lastError, delay.toMillis());
        }
        long deadline = System.nanoTime() + delay.toNanos();
        long left;
        while (!closing && !stopped && (left = deadline - System.nanoTime()) > 0) {
            work.awaitNanos(left); // new rows signal too: keep waiting out the backoff
        }
    }

    /**
     * Flushes for at most {@code flushBudget} (skipped while paused: the table may be mid-rotation), then spools
     * every row not yet acknowledged, stops the flusher and returns the number of rows spooled.
     */
    public long close(Duration flushBudget) throws InterruptedException {
        lock.lock();
        try {
            closing = true;
            work.signalAll();
            long deadline = System.nanoTime() + flushBudget.toNanos();
            while (!pauseRequested && (inflight != null || !mem.isEmpty() || !spool.isEmpty())) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                if (consecutiveFailures > 0 && !inserting) {
                    break; // the store is failing: spool now rather than burn the budget
                }
                idle.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            }
            stopped = true;
            work.signalAll();
            long hung = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (inserting && System.nanoTime() < hung) {
                idle.awaitNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            if (inserting) {
                log.warn("an insert is still running at shutdown; its rows are spooled too (they may be stored twice)");
            }
            long spooled = 0;
            try {
                if (inflight != null && inflight.source == Source.MEMORY) {
                    spool.append(inflight.firstSeq, inflight.rows);
                    spooled += inflight.rows.size();
                }
                inflight = null;
                if (!mem.isEmpty()) {
                    spooled += mem.size();
                    spool.append(memFirstSeq(), new ArrayList<>(mem));
                    mem.clear();
                    memBytes = 0;
                }
            } catch (IOException e) {
                log.error("LOSS: could not spool {} rows at shutdown: {}", mem.size(), e.toString());
                throw new IllegalStateException("spool failed at shutdown", e);
            }
            closed = true;
            if (spooled > 0 || !spool.isEmpty()) {
                log.info("shutdown: {} rows spooled to {} ({} rows waiting there in all)", spooled, spool.directory(),
                        spool.rows());
            }
            return spooled;
        } finally {
            lock.unlock();
            spool.close();
        }
    }

    @Override
    public void close() throws InterruptedException {
        close(Duration.ofSeconds(10));
    }
}
