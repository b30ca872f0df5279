package com.mexcpipe.testkit.store;

import com.mexcpipe.client.store.RowStore;
import com.mexcpipe.common.Row;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link RowStore} in memory for tests and benchmarks: keeps (or, with {@code discard}, only counts) acknowledged
 * rows; can be switched "down" to make inserts fail like an unreachable ClickHouse.
 */
public final class MemoryRowStore implements RowStore {
    private final boolean discard;
    private final List<Row> rows = new ArrayList<>();
    private final AtomicLong count = new AtomicLong();
    private final AtomicBoolean down = new AtomicBoolean();

    public MemoryRowStore(boolean discard) {
        this.discard = discard;
    }

    public static MemoryRowStore keeping() {
        return new MemoryRowStore(false);
    }

    public static MemoryRowStore discarding() {
        return new MemoryRowStore(true);
    }

    public void down(boolean isDown) {
        down.set(isDown);
    }

    @Override
    public void insert(List<Row> batch) throws IOException {
        if (down.get()) {
            throw new IOException("Connection refused (MemoryRowStore is down)");
        }
        if (!discard) {
            synchronized (rows) {
                rows.addAll(batch);
            }
        }
        count.addAndGet(batch.size());
    }

    public List<Row> rows() {
        synchronized (rows) {
            return new ArrayList<>(rows);
        }
    }

    public long count() {
        return count.get();
    }
}
