package com.mexcpipe.exporter.store;

import com.mexcpipe.common.RowType;
import java.util.Map;

/**
 * The table operations rotation and export need. Implemented on ClickHouse and, for the zero-loss tests, on a
 * model that reproduces the StripeLog behaviours that matter (an insert already running when RENAME happens lands
 * in the renamed table; inserts lock the table; reads come back unordered).
 */
public interface TableOps {
    /** Receives exported rows in {@code ts} order. */
    interface RowConsumer {
        void row(long ts, RowType mt, String m) throws Exception;
    }

    boolean exists(String table) throws Exception;

    /** {@code RENAME TABLE from TO to}. */
    void rename(String from, String to) throws Exception;

    /** {@code CREATE TABLE IF NOT EXISTS} with the layout of DESIGN §2. */
    void create(String table) throws Exception;

    /** Rows by type. */
    Map<RowType, Long> counts(String table) throws Exception;

    /** {@code SELECT ts, mt, m FROM table ORDER BY ts}, streamed. */
    void scanOrdered(String table, RowConsumer consumer) throws Exception;

    void drop(String table) throws Exception;

    /** For messages: where the tables live. */
    String describe();
}
