package com.mexcpipe.exporter.parquet;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** DuckDB (JDBC, in-memory) as the independent Parquet reader of the tests. */
final class DuckDb implements AutoCloseable {
    private final Connection connection;

    DuckDb() throws SQLException {
        connection = DriverManager.getConnection("jdbc:duckdb:");
    }

    /** {@code 'path'} as a SQL string literal. */
    static String lit(Path p) {
        return "'" + p.toAbsolutePath().toString().replace("'", "''") + "'";
    }

    /** All rows of a query, each as a list of {@code getObject} values. */
    List<List<Object>> rows(String sql) throws SQLException {
        List<List<Object>> out = new ArrayList<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getObject(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    /** The single value of a one-row, one-column query. */
    Object value(String sql) throws SQLException {
        List<List<Object>> r = rows(sql);
        if (r.size() != 1 || r.get(0).size() != 1) {
            throw new IllegalStateException("expected one value from " + sql + ", got " + r);
        }
        return r.get(0).get(0);
    }

    /** Column name → DuckDB type of {@code read_parquet(file)}. */
    Map<String, String> types(Path file) throws SQLException {
        Map<String, String> m = new LinkedHashMap<>();
        for (List<Object> r : rows("DESCRIBE SELECT * FROM read_parquet(" + lit(file) + ")")) {
            m.put((String) r.get(0), (String) r.get(1));
        }
        return m;
    }

    /** The footer's key-value metadata as DuckDB reads it. */
    Map<String, String> kv(Path file) throws SQLException {
        Map<String, String> m = new LinkedHashMap<>();
        for (List<Object> r : rows("SELECT decode(key), decode(value) FROM parquet_kv_metadata(" + lit(file)
                + ")")) {
            m.put((String) r.get(0), (String) r.get(1));
        }
        return m;
    }

    /** Runs a query and hands each row to {@code consumer} without keeping them. */
    void stream(String sql, RowConsumer consumer) throws Exception {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                consumer.accept(rs);
            }
        }
    }

    interface RowConsumer {
        void accept(ResultSet rs) throws Exception;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
