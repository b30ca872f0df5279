package com.mexcpipe.testkit.chdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseFormat;
import com.mexcpipe.testkit.clickhouse.ClickHouseBackend;
import com.mexcpipe.testkit.clickhouse.ClickHouseExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The rest of the contract (CHDB-CLICKHOUSE.md §1–§6) through the real drivers and plain HTTP. Everything here holds
 * for a real server too, so the class runs against any backend {@link ClickHouseExtension} picks.
 */
@ExtendWith(ClickHouseExtension.class)
class ClickHouseProtocolTest {
    static ClickHouseBackend ch;
    static String db;

    @BeforeAll
    static void createDatabase(ClickHouseBackend backend) throws SQLException {
        ch = backend;
        db = backend.createDatabase("protocol");
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        if (ch != null && db != null) {
            ch.dropDatabase(db);
        }
    }

    static long scalar(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String text(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void unknownTableIsSqlExceptionWithCode60() throws SQLException {
        try (Connection c = ch.connection(db); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeQuery("SELECT * FROM no_such_table"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(60);
                        assertThat(e.getMessage()).contains("no_such_table");
                    });
        }
    }

    @Test
    void unknownSettingFailsLikeAServer() throws Exception {
        Properties props = new Properties();
        props.setProperty("clickhouse_setting_no_such_setting", "1");
        try (Connection c = ch.connection(db, props); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeQuery("SELECT 1")).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getErrorCode()).isEqualTo(115));
        }
        try (Connection c = ch.connection(db); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute("SET no_such_setting = 1")).isInstanceOfSatisfying(
                    SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(115));
        }
        try (Client client = ch.clientBuilder().setDefaultDatabase(db).build()) {
            assertThatThrownBy(() -> client.queryAll("SELECT 1",
                    new QuerySettings().serverSetting("no_such_setting", "1")))
                    .satisfies(e -> assertThat(serverCode(e)).isEqualTo(115));
        }
    }

    /** The code of the {@link ServerException} in {@code e}'s cause chain (queryAll wraps it), or -1. */
    static int serverCode(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ServerException se) {
                return se.getCode();
            }
        }
        return -1;
    }

    @Test
    void multiStatementsAreRejected() throws Exception {
        try (Connection c = ch.connection(db); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeQuery("SELECT 1; SELECT 2")).isInstanceOfSatisfying(
                    SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(62);
                        assertThat(e.getMessage()).contains("Multi-statements are not allowed");
                    });
            st.execute("CREATE TABLE victim (x UInt8) ENGINE = StripeLog");
            // JDBC refuses this one itself; the server's guard is what protects other clients
            HttpResponse<byte[]> r = post("database=" + db, "INSERT INTO victim VALUES (1); DROP TABLE victim".getBytes());
            assertThat(r.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("62");
            assertThat(utf8(r)).contains("Multi-statements are not allowed");
            assertThat(scalar(c, "SELECT count() FROM victim")).isZero(); // nothing of it ran
            assertThat(scalar(c, "SELECT length(';') -- ; not a second statement")).isEqualTo(1);
            st.execute("DROP TABLE victim");
        }
    }

    @Test
    void aClientSetDoesNotLeakToTheNextRequest() throws SQLException {
        try (Connection c = ch.connection(db); Statement st = c.createStatement()) {
            st.execute("SET max_block_size = 12345");
            st.execute("SET session_timezone = 'Asia/Tokyo'");
        }
        try (Connection c = ch.connection(db)) {
            assertThat(scalar(c, "SELECT getSetting('max_block_size')")).isNotEqualTo(12345);
            assertThat(text(c, "SELECT timezone()")).isNotEqualTo("Asia/Tokyo");
        }
        // a setting sent with one request applies to that request only
        try (Client client = ch.clientBuilder().setDefaultDatabase(db).build()) {
            List<GenericRecord> with = client.queryAll("SELECT getSetting('max_block_size') AS v",
                    new QuerySettings().serverSetting("max_block_size", "777"));
            assertThat(with.get(0).getLong("v")).isEqualTo(777);
            assertThat(client.queryAll("SELECT getSetting('max_block_size') AS v").get(0).getLong("v"))
                    .isNotEqualTo(777);
        }
    }

    @Test
    void queryParameters() {
        String hostile = "tab\there, newline\nthere, back\\slash, 'quote', ü 😀";
        try (Client client = ch.clientBuilder().setDefaultDatabase(db).build()) {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("s", hostile);
            params.put("n", 41);
            List<GenericRecord> rows = client.queryAll("SELECT {s:String} AS s, {n:UInt32} + 1 AS n", params);
            assertThat(rows.get(0).getString("s")).isEqualTo(hostile);
            assertThat(rows.get(0).getLong("n")).isEqualTo(42);
        }
    }

    /** RowBinary rows whose bytes contain blank lines ({@code 0a 0a}): chDB would cut inline data there, silently. */
    @Test
    void rowBinaryWithBlankLineBytesSurvivesTheInsert() throws Exception {
        int rows = 20_000;
        long base = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (int i = 0; i < rows; i++) {
            writeRow(data, id(i), ts(base, i), payload(i));
        }
        try (Connection c = ch.connection(db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE rb (id UInt64, ts DateTime64(3, 'UTC'), s String) ENGINE = StripeLog");
            st.execute("CREATE TABLE rb_jdbc AS rb");
        }
        try (Client client = ch.clientBuilder().setDefaultDatabase(db).build()) {
            InsertResponse r = client.insert("rb", new ByteArrayInputStream(data.toByteArray()),
                    ClickHouseFormat.RowBinary).get(60, TimeUnit.SECONDS);
            assertThat(r.getWrittenRows()).isEqualTo(rows);
        }
        Properties props = new Properties();
        props.setProperty("beta.row_binary_for_simple_insert", "true");
        try (Connection c = ch.connection(db, props);
                PreparedStatement ps = c.prepareStatement("INSERT INTO rb_jdbc (id, ts, s) VALUES (?, ?, ?)")) {
            for (int i = 0; i < rows; i++) {
                ps.setLong(1, id(i));
                ps.setTimestamp(2, Timestamp.from(Instant.ofEpochMilli(ts(base, i))));
                ps.setString(3, payload(i));
                ps.addBatch();
            }
            assertThat(Arrays.stream(ps.executeBatch()).sum()).isEqualTo(rows);
        }
        try (Connection c = ch.connection(db)) {
            for (String table : List.of("rb", "rb_jdbc")) {
                assertThat(scalar(c, "SELECT count() FROM " + table)).as(table).isEqualTo(rows);
                assertThat(scalar(c, "SELECT sum(id) FROM " + table)).as(table)
                        .isEqualTo((long) rows * (rows - 1) / 2 + 0x0a0aL);
                assertThat(text(c, "SELECT s FROM " + table + " WHERE id = " + id(7000))).isEqualTo(payload(7000));
                assertThat(scalar(c, "SELECT toUnixTimestamp64Milli(ts) FROM " + table + " WHERE id = " + id(7000)))
                        .isEqualTo(ts(base, 7000));
            }
        }
    }

    /** Row 7000 carries 0a 0a in its id, its timestamp and its string; its id is 7000 + 0x0a0a. */
    static long id(int i) {
        return i == 7000 ? 7000 + 0x0a0a : i;
    }

    static long ts(long base, int i) {
        return i == 7000 ? (base & ~0xffffL) + 0x10a0a : base + i;
    }

    static String payload(int i) {
        return i == 7000 ? "before\n\nafter\n\n" : "row " + i + (i % 3 == 0 ? "\n\n" : "");
    }

    static void writeRow(ByteArrayOutputStream out, long id, long ts, String s) {
        for (long v : new long[] {id, ts}) {
            for (int k = 0; k < 8; k++) {
                out.write((int) (v >>> (8 * k)));
            }
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        int n = bytes.length;
        while ((n & ~0x7f) != 0) {
            out.write((n & 0x7f) | 0x80);
            n >>>= 7;
        }
        out.write(n);
        out.writeBytes(bytes);
    }

    @Test
    void writtenRowsIsTheUpdateCount() throws SQLException {
        try (Connection c = ch.connection(db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE numbers_copy (n UInt64) ENGINE = StripeLog");
            assertThat(st.executeUpdate("INSERT INTO numbers_copy SELECT number FROM numbers(10)")).isEqualTo(10);
        }
    }

    @Test
    void metadataNamesClickHouse() throws SQLException {
        try (Connection c = ch.connection(db)) {
            assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("ClickHouse");
            assertThat(c.getMetaData().getDatabaseProductVersion()).matches("\\d+\\.\\d+.*");
        }
    }

    /** Compressed request bodies (native LZ4 blocks, ZSTD) and HTTP compression, through client-v2. */
    @Test
    void compressionModesOfClientV2() throws Exception {
        try (Connection c = ch.connection(db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE comp (n UInt64, s String) ENGINE = StripeLog");
        }
        StringBuilder tsv = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            tsv.append(i).append('\t').append("text ").append(i).append("\\n\n");
        }
        byte[] body = tsv.toString().getBytes(StandardCharsets.UTF_8);
        List<Client.Builder> modes = new ArrayList<>();
        modes.add(ch.clientBuilder().compressClientRequest(true).setOption("compression.method", "LZ4"));
        modes.add(ch.clientBuilder().useHttpCompression(true).compressClientRequest(true));
        modes.add(ch.clientBuilder().compressServerResponse(false));
        if (zstdAvailable()) {
            modes.add(ch.clientBuilder().compressClientRequest(true)); // 0.11.0 picks ZSTD for request bodies
        }
        long expected = 0;
        for (Client.Builder mode : modes) {
            try (Client client = mode.setDefaultDatabase(db).build()) {
                client.insert("comp", new ByteArrayInputStream(body), ClickHouseFormat.TabSeparated)
                        .get(60, TimeUnit.SECONDS);
                expected += 5000;
                List<GenericRecord> rows = client.queryAll("SELECT count() AS c FROM comp");
                assertThat(rows.get(0).getLong("c")).isEqualTo(expected);
                assertThat(client.queryAll("SELECT s FROM comp WHERE n = 4999 LIMIT 1").get(0).getString("s"))
                        .isEqualTo("text 4999\n");
            }
        }
    }

    static boolean zstdAvailable() {
        try {
            Class.forName("com.github.luben.zstd.Zstd");
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    @Test
    void concurrentClientsAreServed() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Long>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                results.add(pool.submit(() -> {
                    long sum = 0;
                    try (Connection c = ch.connection(db)) {
                        for (int i = 0; i < 25; i++) {
                            sum += scalar(c, "SELECT count() FROM numbers(" + (1000 + offset) + ")");
                        }
                    }
                    return sum;
                }));
            }
            for (int t = 0; t < 4; t++) {
                assertThat(results.get(t).get(60, TimeUnit.SECONDS)).isEqualTo(25L * (1000 + t));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- plain HTTP: headers, formats, errors, native-compressed request bodies ----

    static final HttpClient HTTP = HttpClient.newHttpClient();

    static HttpResponse<byte[]> post(String params, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(ch.httpUrl() + "/?" + params))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (!ch.password().isEmpty() || !ch.user().equals("default")) {
            b.header("X-ClickHouse-User", ch.user()).header("X-ClickHouse-Key", ch.password());
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String utf8(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void successHeadersLikeAServer() throws Exception {
        HttpResponse<byte[]> r = post("query_id=qid-123&database=" + db, "SELECT 1 AS one".getBytes(),
                "X-ClickHouse-Format", "JSONEachRow");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(utf8(r)).isEqualTo("{\"one\":1}\n");
        assertThat(r.headers().firstValue("X-ClickHouse-Query-Id")).hasValue("qid-123");
        assertThat(r.headers().firstValue("X-ClickHouse-Format")).hasValue("JSONEachRow");
        assertThat(r.headers().firstValue("X-ClickHouse-Timezone")).hasValue("UTC");
        assertThat(r.headers().firstValue("X-ClickHouse-Server-Display-Name")).isPresent();
        assertThat(r.headers().firstValue("X-ClickHouse-Summary").orElseThrow())
                .contains("\"read_rows\":\"", "\"written_rows\":\"0\"", "\"elapsed_ns\":\"");

        HttpResponse<byte[]> csv = post("default_format=JSON", "SELECT 1 AS x FORMAT CSV".getBytes());
        assertThat(utf8(csv)).isEqualTo("1\n");
        assertThat(csv.headers().firstValue("X-ClickHouse-Format")).hasValue("CSV");

        HttpResponse<byte[]> database = post("database=" + db + "&query=" + q("SELECT currentDatabase()"), new byte[0]);
        assertThat(utf8(database)).isEqualTo(db + "\n");
        HttpResponse<byte[]> header = post("", "SELECT currentDatabase()".getBytes(), "X-ClickHouse-Database", db);
        assertThat(utf8(header)).isEqualTo(db + "\n");

        HttpResponse<String> ping = HTTP.send(HttpRequest.newBuilder(URI.create(ch.httpUrl() + "/ping")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ping.body()).isEqualTo("Ok.\n");
    }

    @Test
    void errorsLikeAServer() throws Exception {
        HttpResponse<byte[]> r = post("compress=1&database=" + db, "SELECT * FROM no_such_table".getBytes());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("60");
        assertThat(utf8(r)).startsWith("Code: 60. DB::Exception: ").contains("no_such_table").endsWith(")\n");

        HttpResponse<byte[]> empty = post("", new byte[0]);
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("62");
        assertThat(utf8(empty)).startsWith("Code: 62. DB::Exception: Empty query");

        HttpResponse<byte[]> unknownDatabase = post("database=no_such_database_x", "SELECT 1".getBytes());
        assertThat(unknownDatabase.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("81");
    }

    /** INSERT data in the body alone, after a query parameter, or joined to one: blank lines inside values survive. */
    @Test
    void insertDataKeepsBlankLinesWhereverItComesFrom() throws Exception {
        try (Connection c = ch.connection(db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE blank (n UInt32, s String) ENGINE = StripeLog");
        }
        String ctx = "database=" + db;
        assertThat(post(ctx, "INSERT INTO blank FORMAT CSV\n1,\"a\n\nb\"\n2,\"c\"\n".getBytes()).statusCode())
                .isEqualTo(200);
        assertThat(post(ctx + "&query=" + q("INSERT INTO blank VALUES"), "(3, 'd\n\ne'), (4, 'f')".getBytes())
                .statusCode()).isEqualTo(200);
        assertThat(post(ctx + "&query=" + q("INSERT INTO blank"), "FORMAT CSV\n5,\"g\n\nh\"\n".getBytes())
                .statusCode()).isEqualTo(200);
        assertThat(post(ctx + "&query=" + q("INSERT INTO blank (n, s) SETTINGS async_insert = 0 FORMAT TSV "),
                "6\ti\\n\\nj\n".getBytes()).statusCode()).isEqualTo(200);
        HttpResponse<byte[]> r = post(ctx, "SELECT n, s FROM blank ORDER BY n".getBytes());
        assertThat(utf8(r)).isEqualTo("1\ta\\n\\nb\n2\tc\n3\td\\n\\ne\n4\tf\n5\tg\\n\\nh\n6\ti\\n\\nj\n");
    }

    /**
     * Without sessions the database of each request is the one the driver sends: a {@code USE} lasts for its own
     * request (as on a real server over HTTP), {@code setSchema} switches the connection.
     */
    @Test
    void theDatabaseIsTheOneTheDriverSends() throws SQLException {
        try (Connection c = ch.connection(db); Statement st = c.createStatement()) {
            assertThat(text(c, "SELECT currentDatabase()")).isEqualTo(db);
            st.execute("USE system");
            assertThat(text(c, "SELECT currentDatabase()")).isEqualTo(db);
            c.setSchema("system");
            assertThat(text(c, "SELECT currentDatabase()")).isEqualTo("system");
        }
        try (Connection c = ch.connection("default")) {
            assertThat(text(c, "SELECT currentDatabase()")).isEqualTo("default");
        }
    }

    /** {@code decompress=1}: request bodies in native blocks, LZ4 (0x82) and uncompressed (0x02). */
    @Test
    void nativeCompressedRequestBodies() throws Exception {
        try (Connection c = ch.connection(db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE blocks (n UInt32, s String) ENGINE = StripeLog");
        }
        byte[] tsv = "1\tone\n2\ttwo\n".getBytes(StandardCharsets.UTF_8);
        String insert = "decompress=1&database=" + db + "&query=" + q("INSERT INTO blocks FORMAT TSV");
        for (int method : new int[] {NativeCompression.METHOD_LZ4, NativeCompression.METHOD_NONE}) {
            HttpResponse<byte[]> r = post(insert, NativeCompression.compress(tsv, method));
            assertThat(r.statusCode()).as(utf8(r)).isEqualTo(200);
            assertThat(r.headers().firstValue("X-ClickHouse-Summary").orElseThrow()).contains("\"written_rows\":\"2\"");
        }
        byte[] corrupt = NativeCompression.compress(tsv);
        corrupt[corrupt.length - 1] ^= 0x55;
        HttpResponse<byte[]> bad = post(insert, corrupt);
        assertThat(bad.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("40");
        HttpResponse<byte[]> count = post("database=" + db, "SELECT count(), sum(n) FROM blocks".getBytes());
        assertThat(utf8(count)).isEqualTo("4\t6\n");
    }
}
