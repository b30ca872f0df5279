package com.mexcpipe.exporter.store;

import com.mexcpipe.common.RowType;
import com.mexcpipe.common.clickhouse.ClickHouseSettings;
import com.mexcpipe.common.clickhouse.Schema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.Map;

/** {@link TableOps} on ClickHouse through clickhouse-jdbc; one connection per call (calls are rare and long). */
public final class ClickHouseTableOps implements TableOps {
    private final ClickHouseSettings ch;

    public ClickHouseTableOps(ClickHouseSettings ch) {
        this.ch = ch;
    }

    @Override
    public boolean exists(String table) throws SQLException {
        try (Connection c = ch.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT count() FROM system.tables WHERE database = ? AND name = ?")) {
            ps.setString(1, ch.database());
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    @Override
    public void rename(String from, String to) throws SQLException {
        execute("RENAME TABLE " + ch.table(from) + " TO " + ch.table(to));
    }

    @Override
    public void create(String table) throws SQLException {
        execute(Schema.createTable(ch, table));
    }

    @Override
    public Map<RowType, Long> counts(String table) throws SQLException {
        Map<RowType, Long> out = new EnumMap<>(RowType.class);
        for (RowType t : RowType.values()) {
            out.put(t, 0L);
        }
        try (Connection c = ch.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT CAST(mt AS String), count() FROM " + ch.table(table)
                        + " GROUP BY mt")) {
            while (rs.next()) {
                out.put(RowType.ofLabel(rs.getString(1)), rs.getLong(2));
            }
        }
        return out;
    }

    @Override
    public void scanOrdered(String table, RowConsumer consumer) throws Exception {
        try (Connection c = ch.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT toUnixTimestamp64Milli(ts) AS ts_ms, CAST(mt AS String) AS mt, m"
                        + " FROM " + ch.table(table) + " ORDER BY ts")) {
            while (rs.next()) {
                consumer.row(rs.getLong(1), RowType.ofLabel(rs.getString(2)), rs.getString(3));
            }
        }
    }

    @Override
    public void drop(String table) throws SQLException {
        execute("DROP TABLE " + ch.table(table));
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = ch.connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    @Override
    public String describe() {
        return "ClickHouse " + ch.endpoint() + "/" + ch.database();
    }
}
