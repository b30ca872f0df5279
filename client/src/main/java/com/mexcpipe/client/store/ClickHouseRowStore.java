package com.mexcpipe.client.store;

import com.mexcpipe.common.Row;
import com.mexcpipe.common.clickhouse.ClickHouseSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;

/** Inserts batches into {@code <db>.<base>_current} with clickhouse-jdbc (one PreparedStatement batch per call). */
public final class ClickHouseRowStore implements RowStore {
    private final ClickHouseSettings ch;
    private final String sql;
    private final Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
    private Connection conn;

    public ClickHouseRowStore(ClickHouseSettings ch, String table) {
        this.ch = ch;
        this.sql = "INSERT INTO " + ch.table(table) + " (ts, mt, m) VALUES (?, ?, ?)";
    }

    @Override
    public void insert(List<Row> rows) throws SQLException {
        try {
            if (conn == null) {
                conn = ch.connect();
            }
            try (PreparedStatement ps = conn.prepareStatement(sql)) {
                for (Row r : rows) {
                    ps.setTimestamp(1, new Timestamp(r.ts()), utc);
                    ps.setString(2, r.mt().label());
                    ps.setString(3, r.m());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        } catch (SQLException | RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    private void closeQuietly() {
        if (conn != null) {
            try {
                conn.close();
            } catch (SQLException ignored) {
                // reconnect on the next attempt
            }
            conn = null;
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
