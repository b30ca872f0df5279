package com.mexcpipe.testkit.store;

import com.mexcpipe.client.store.RowStore;
import com.mexcpipe.common.Row;
import com.mexcpipe.common.RowType;
import com.mexcpipe.exporter.store.TableOps;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A model of ClickHouse StripeLog tables that reproduces the behaviours the rotation must survive:
 * <ul>
 *   <li>an INSERT resolves its table when it starts; if RENAME happens while it runs, its rows land in the renamed
 *       table (and in a dropped table they are gone, yet the INSERT was acknowledged);</li>
 *   <li>every INSERT and read takes the table's lock (one at a time);</li>
 *   <li>reads return rows in no fixed order ({@link #scanOrdered} sorts by ts only, rows with equal ts come in
 *       random order, as {@code ORDER BY ts} does).</li>
 * </ul>
 * An insert spends a random {@code [insertDelayMs/2, 3*insertDelayMs/2)} between resolving the table and taking
 * its lock (a large batch's transfer and parsing): the window in which, without the pause handshake, its rows land
 * in {@code _previous} after the export has read it.
 */
public final class TableStoreModel implements TableOps {
    private static final class Table {
        final List<Row> rows = new ArrayList<>();
        final ReentrantLock lock = new ReentrantLock();
    }

    private final Object catalog = new Object();
    private final Map<String, Table> tables = new HashMap<>();
    private final int insertDelayMs;
    private final Random random;

    public TableStoreModel(int insertDelayMs, long seed) {
        this.insertDelayMs = insertDelayMs;
        this.random = new Random(seed);
    }

    /** The clients' store: inserts into {@code table} as it is named when the insert starts. */
    public RowStore store(String table) {
        return rows -> insert(table, rows);
    }

    void insert(String name, List<Row> rows) throws Exception {
        Table t;
        synchronized (catalog) {
            t = tables.get(name);
        }
        if (t == null) {
            throw new SQLException("Code: 60. DB::Exception: Table " + name + " does not exist. (UNKNOWN_TABLE)", "42S02",
                    60);
        }
        if (insertDelayMs > 0) {
            int jitter;
            synchronized (random) {
                jitter = random.nextInt(insertDelayMs);
            }
            Thread.sleep(insertDelayMs / 2 + jitter);
        }
        t.lock.lock();
        try {
            t.rows.addAll(rows); // into t as resolved at the start, renamed or dropped meanwhile or not
        } finally {
            t.lock.unlock();
        }
    }

    @Override
    public boolean exists(String table) {
        synchronized (catalog) {
            return tables.containsKey(table);
        }
    }

    @Override
    public void rename(String from, String to) throws SQLException {
        synchronized (catalog) {
            if (tables.containsKey(to)) {
                throw new SQLException("Code: 57. Table " + to + " already exists. (TABLE_ALREADY_EXISTS)", "42S01", 57);
            }
            Table t = tables.remove(from);
            if (t == null) {
                throw new SQLException("Code: 60. Table " + from + " does not exist. (UNKNOWN_TABLE)", "42S02", 60);
            }
            tables.put(to, t); // does not wait for an INSERT that already resolved t
        }
    }

    @Override
    public void create(String table) {
        synchronized (catalog) {
            tables.putIfAbsent(table, new Table());
        }
    }

    private Table get(String table) throws SQLException {
        synchronized (catalog) {
            Table t = tables.get(table);
            if (t == null) {
                throw new SQLException("Code: 60. Table " + table + " does not exist. (UNKNOWN_TABLE)", "42S02", 60);
            }
            return t;
        }
    }

    @Override
    public Map<RowType, Long> counts(String table) throws SQLException {
        Table t = get(table);
        Map<RowType, Long> out = new EnumMap<>(RowType.class);
        for (RowType r : RowType.values()) {
            out.put(r, 0L);
        }
        t.lock.lock();
        try {
            for (Row r : t.rows) {
                out.merge(r.mt(), 1L, Long::sum);
            }
        } finally {
            t.lock.unlock();
        }
        return out;
    }

    @Override
    public void scanOrdered(String table, RowConsumer consumer) throws Exception {
        Table t = get(table);
        List<Row> copy;
        t.lock.lock();
        try {
            copy = new ArrayList<>(t.rows);
        } finally {
            t.lock.unlock();
        }
        synchronized (random) {
            Collections.shuffle(copy, random); // storage order means nothing
        }
        copy.sort(Comparator.comparingLong(Row::ts));
        for (Row r : copy) {
            consumer.row(r.ts(), r.mt(), r.m());
        }
    }

    @Override
    public void drop(String table) throws SQLException {
        synchronized (catalog) {
            if (tables.remove(table) == null) {
                throw new SQLException("Code: 60. Table " + table + " does not exist. (UNKNOWN_TABLE)", "42S02", 60);
            }
        }
    }

    /** A copy of a table's rows (unordered). */
    public List<Row> rows(String table) throws SQLException {
        Table t = get(table);
        t.lock.lock();
        try {
            return new ArrayList<>(t.rows);
        } finally {
            t.lock.unlock();
        }
    }

    @Override
    public String describe() {
        return "table store model";
    }
}
