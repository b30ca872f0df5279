package com.mexcpipe.testkit.clickhouse;

import com.mexcpipe.common.Row;
import com.mexcpipe.common.RowType;
import com.mexcpipe.common.clickhouse.ClickHouseSettings;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Helpers shared by the ClickHouse integration tests. */
final class ChSupport {
    private ChSupport() {
    }

    static ClickHouseSettings settings(ClickHouseBackend ch, String database) {
        return new ClickHouseSettings(URI.create(ch.httpUrl()), ch.user(), ch.password(), database);
    }

    /** Same server through another host:port (e.g. a {@link com.mexcpipe.testkit.net.TcpProxy}). */
    static ClickHouseSettings via(ClickHouseBackend ch, String database, int port) {
        URI u = URI.create(ch.httpUrl());
        return new ClickHouseSettings(URI.create(u.getScheme() + "://127.0.0.1:" + port), ch.user(), ch.password(),
                database);
    }

    static int port(ClickHouseBackend ch) {
        return URI.create(ch.httpUrl()).getPort();
    }

    static String host(ClickHouseBackend ch) {
        return URI.create(ch.httpUrl()).getHost();
    }

    /** Every row of a table, sorted by {@link #sorted} (ts, then mt label, then m) on the Java side. */
    static List<Row> rows(ClickHouseSettings s, String table) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (Connection c = s.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT toUnixTimestamp64Milli(ts), CAST(mt AS String), m FROM "
                        + s.table(table))) {
            while (rs.next()) {
                out.add(new Row(rs.getLong(1), RowType.ofLabel(rs.getString(2)), rs.getString(3)));
            }
        }
        return sorted(out);
    }

    static long count(ClickHouseSettings s, String table) throws SQLException {
        try (Connection c = s.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count() FROM " + s.table(table))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Zero loss: every expected row is stored. At-least-once: an insert the server committed just as the connection
     * broke is retried, so its rows may be stored twice (StripeLog cannot deduplicate); such repeats must be exact
     * copies of expected rows forming one contiguous batch (in arrival order, which is {@code expected}'s order), never
     * anything else.
     */
    static void assertNoLossAtMostOneBatchRepeated(List<Row> stored, List<Row> expected) {
        java.util.Map<Row, Integer> left = new java.util.HashMap<>();
        for (Row r : stored) {
            left.merge(r, 1, Integer::sum);
        }
        List<Row> missing = new ArrayList<>();
        for (Row r : expected) {
            if (left.merge(r, -1, Integer::sum) < 0) {
                missing.add(r);
            }
        }
        org.assertj.core.api.Assertions.assertThat(missing).as("rows lost").isEmpty();
        List<Row> extra = new ArrayList<>();
        left.forEach((r, n) -> {
            for (int i = 0; i < n; i++) {
                extra.add(r);
            }
        });
        org.assertj.core.api.Assertions.assertThat(extra).as("stored rows that were never sent")
                .allMatch(expected::contains);
        if (!extra.isEmpty()) {
            // A batch is a run of rows in arrival (push) order; event-time order may interleave differently.
            java.util.Map<Row, java.util.Deque<Integer>> positions = new java.util.HashMap<>();
            for (int i = 0; i < expected.size(); i++) {
                positions.computeIfAbsent(expected.get(i), r -> new java.util.ArrayDeque<>()).add(i);
            }
            int[] at = extra.stream().mapToInt(r -> positions.get(r).removeFirst()).sorted().toArray();
            org.assertj.core.api.Assertions.assertThat(expected.subList(at[0], at[at.length - 1] + 1))
                    .as("repeated rows form one contiguous batch in arrival order").hasSize(at.length);
            System.out.println("[at-least-once] " + extra.size() + " row(s) of one interrupted insert stored twice");
        }
    }

    static List<Row> sorted(List<Row> rows) {
        List<Row> out = new ArrayList<>(rows);
        out.sort((a, b) -> {
            int c = Long.compare(a.ts(), b.ts());
            if (c == 0) {
                c = a.mt().label().compareTo(b.mt().label());
            }
            return c != 0 ? c : a.m().compareTo(b.m());
        });
        return out;
    }
}
