package com.mexcpipe.common.clickhouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Compares an existing table with the layout of DESIGN §2. */
public final class TableCheck {
    public static final List<String> EXPECTED = List.of(
            "ts DateTime64(3, 'UTC')",
            "mt Enum8('t' = 1, 'd' = 2, 'dp' = 3, 'dl' = 4)",
            "m String");

    private TableCheck() {
    }

    /** "name type" per column in order; empty if the table does not exist. */
    public static List<String> columns(Connection c, String database, String table) throws SQLException {
        List<String> cols = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT name, type FROM system.columns WHERE database = ? AND table = ? ORDER BY position")) {
            ps.setString(1, database);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    cols.add(rs.getString(1) + " " + rs.getString(2));
                }
            }
        }
        return cols;
    }

    public static String engine(Connection c, String database, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT engine FROM system.tables WHERE database = ? AND name = ?")) {
            ps.setString(1, database);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
