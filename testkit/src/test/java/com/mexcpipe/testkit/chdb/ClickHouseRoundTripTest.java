package com.mexcpipe.testkit.chdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.mexcpipe.testkit.clickhouse.ClickHouseBackend;
import com.mexcpipe.testkit.clickhouse.ClickHouseExtension;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.List;
import java.util.Properties;
import java.util.TimeZone;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The main round trip of CHDB-CLICKHOUSE.md §1 through the unmodified clickhouse-jdbc driver: DDL, a 100,000-row
 * PreparedStatement batch with hostile strings read back exactly, RENAME, DROP. Runs against whichever backend
 * {@link ClickHouseExtension} picks, with the driver's default (compressed) responses and with {@code compress=false}.
 */
@ExtendWith(ClickHouseExtension.class)
class ClickHouseRoundTripTest {
    static final int ROWS = 100_000;
    static final String[] TYPES = {"t", "d", "dp", "dl"};
    static final String[] HOSTILE = {
        "plain",
        "tab\there",
        "newline\nthere",
        "crlf\r\nthere",
        "blank lines\n\n\nbetween",
        "\n\n",
        "",
        "single ' quote",
        "double \" quote and `backtick`",
        "back\\slash \\n \\t \\\\",
        "semicolon; SELECT 1; -- not a comment /* nor this */",
        "{x:String} ? $1",
        "umlaut ü, CJK 中文字, emoji 😀🚀",
        "{\"json\":[1,2,{\"k\":\"v\\\"q\"}]}",
        "nul \u0000 byte",
    };
    static final Instant BASE = Instant.parse("2026-03-01T00:00:00Z");

    static Instant ts(int i) {
        return BASE.plusMillis(i * 1000L + (i * 37L) % 1000); // strictly increasing, every millisecond digit used
    }

    static String message(int i) {
        return HOSTILE[i % HOSTILE.length] + "#" + i;
    }

    @ParameterizedTest(name = "compress={0}")
    @ValueSource(strings = {"default", "false"})
    void batchInsertReadsBackExactly(String compress, ClickHouseBackend ch) throws SQLException {
        Properties props = new Properties();
        if (!compress.equals("default")) {
            props.setProperty("compress", compress);
        }
        String db = ch.createDatabase("roundtrip");
        try (Connection c = ch.connection(db, props)) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE trades (ts DateTime64(3, 'UTC'), mt Enum8('t'=1, 'd'=2, 'dp'=3, 'dl'=4), "
                        + "m String) ENGINE = StripeLog");
            }
            long started = System.nanoTime();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO trades (ts, mt, m) VALUES (?, ?, ?)")) {
                for (int i = 0; i < ROWS; i++) {
                    ps.setTimestamp(1, Timestamp.from(ts(i)));
                    ps.setString(2, TYPES[i % TYPES.length]);
                    ps.setString(3, message(i));
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                assertThat(Arrays.stream(counts).sum()).isEqualTo(ROWS);
            }
            long inserted = System.nanoTime();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count() FROM trades")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(ROWS);
            }
            Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
            int row = 0;
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT ts, mt, m FROM trades ORDER BY ts")) {
                while (rs.next()) {
                    assertEquals(ts(row), rs.getObject(1, Instant.class), "ts of row " + row);
                    assertEquals(TYPES[row % TYPES.length], rs.getString(2), "mt of row " + row);
                    assertEquals(message(row), rs.getString(3), "m of row " + row);
                    if (row % 9973 == 0) {
                        assertEquals(Timestamp.from(ts(row)), rs.getTimestamp(1, utc), "getTimestamp(UTC) of row " + row);
                    }
                    row++;
                }
            }
            assertThat(row).isEqualTo(ROWS);
            System.out.printf("[clickhouse] round trip compress=%s: insert %d rows %d ms, read back %d ms%n", compress,
                    ROWS, (inserted - started) / 1_000_000, (System.nanoTime() - inserted) / 1_000_000);

            try (Statement st = c.createStatement()) {
                st.execute("RENAME TABLE trades TO trades_renamed");
                try (ResultSet rs = st.executeQuery("SELECT count(), countIf(mt = 'dl') FROM trades_renamed")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(ROWS);
                    assertThat(rs.getLong(2)).isEqualTo(ROWS / 4);
                }
                assertThat(tables(c, db)).containsExactly("trades_renamed");
                st.execute("DROP TABLE trades_renamed");
                assertThat(tables(c, db)).isEmpty();
            }
        } finally {
            ch.dropDatabase(db);
        }
    }

    static List<String> tables(Connection c, String db) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        List<String> names = new ArrayList<>();
        try (ResultSet rs = md.getTables(null, db, "%", null)) {
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME"));
            }
        }
        return names;
    }
}
