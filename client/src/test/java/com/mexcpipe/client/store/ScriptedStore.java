package com.mexcpipe.client.store;

import com.mexcpipe.common.Row;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A test store: records acknowledged rows; can be made to fail or to hold an insert open. */
final class ScriptedStore implements RowStore {
    final List<Row> stored = new ArrayList<>();
    final AtomicBoolean down = new AtomicBoolean();
    final AtomicInteger failNext = new AtomicInteger();
    final AtomicInteger attempts = new AtomicInteger();
    final AtomicInteger concurrent = new AtomicInteger();
    volatile int maxConcurrent;
    volatile CountDownLatch holdInsert;
    volatile CountDownLatch insertStarted;

    @Override
    public void insert(List<Row> rows) throws Exception {
        attempts.incrementAndGet();
        int c = concurrent.incrementAndGet();
        maxConcurrent = Math.max(maxConcurrent, c);
        try {
            CountDownLatch started = insertStarted;
            if (started != null) {
                started.countDown();
            }
            CountDownLatch hold = holdInsert;
            if (hold != null) {
                hold.await();
            }
            if (down.get()) {
                throw new IOException("Connection refused (test: store down)");
            }
            if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IOException("test: transient failure");
            }
            synchronized (stored) {
                stored.addAll(rows);
            }
        } finally {
            concurrent.decrementAndGet();
        }
    }

    List<Row> stored() {
        synchronized (stored) {
            return new ArrayList<>(stored);
        }
    }
}
