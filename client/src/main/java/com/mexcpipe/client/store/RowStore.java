package com.mexcpipe.client.store;

import com.mexcpipe.common.Row;
import java.util.List;

/** Where acknowledged rows go: {@code <base>_current}. */
public interface RowStore extends AutoCloseable {
    /**
     * Inserts {@code rows} as one batch. Returns normally only when the store has acknowledged every row; any
     * exception means "not stored" (the caller keeps the rows and retries).
     */
    void insert(List<Row> rows) throws Exception;

    @Override
    default void close() throws Exception {
    }
}
