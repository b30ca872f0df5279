package com.mexcpipe.testkit.chdb;

import com.mexcpipe.testkit.chdb.ChdbEngine.Result;
import com.mexcpipe.testkit.chdb.SqlText.InsertKind;
import com.mexcpipe.testkit.chdb.SqlText.InsertShape;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * ClickHouse's HTTP interface in front of one {@link ChdbEngine}: the contract of CHDB-CLICKHOUSE.md §3 (SQL from
 * {@code query} plus body, output format, database, settings set and reset around each request, query parameters,
 * the multi-statement guard, response headers, errors) and §6 (INSERT data through a temp file and
 * {@code FROM INFILE}, never inline).
 */
final class ClickHouseHttpHandler implements HttpHandler {
    /** URL parameters that are not settings (ClickHouse's HTTPHandler list). */
    private static final Set<String> RESERVED = Set.of("query", "compress", "decompress", "user", "password",
            "quota_key", "query_id", "stacktrace", "role", "buffer_size", "wait_end_of_query", "session_id",
            "session_timeout", "session_check", "client_protocol_version", "close_session", "database",
            "default_format");
    private static final Pattern SETTING_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final String INTERNAL = "TabSeparated";

    private final ChdbEngine engine;
    private final Path tmpDir;
    private final String version;
    private final String timezone;
    private final PrintStream log;
    private final boolean verbose;
    /** Every setting's value text at start (system.settings.value): the "already in force" comparison. */
    private final Map<String, String> inForce;
    /** Settings changed at start (chDB's own and the endpoint's, e.g. session_timezone): reset to these. */
    private final Map<String, String> baseline;
    private final AtomicLong tmpCounter = new AtomicLong();
    /** The engine connection's current database; null when unknown (after a client USE). Guarded by the engine lock. */
    private String currentDatabase = "default";

    private ClickHouseHttpHandler(ChdbEngine engine, Path tmpDir, String version, String timezone,
            Map<String, String> inForce, Map<String, String> baseline, PrintStream log, boolean verbose) {
        this.engine = engine;
        this.tmpDir = tmpDir;
        this.version = version;
        this.timezone = timezone;
        this.inForce = inForce;
        this.baseline = baseline;
        this.log = log;
        this.verbose = verbose;
    }

    /**
     * Prepares the engine connection to behave like a server ({@code session_timezone='UTC'}, no implicit SELECT)
     * and reads what it needs (version, time zone, settings).
     */
    static ClickHouseHttpHandler create(ChdbEngine engine, Path tmpDir, PrintStream log, boolean verbose)
            throws IOException {
        // 26.5 ignores --session_timezone at connect; the engine zone would otherwise follow the process's TZ
        check(engine.query("SET session_timezone = 'UTC'", INTERNAL));
        // chDB turns implicit_select on; a server has it off ("1 + 1" is a syntax error there)
        check(engine.query("SET implicit_select = 0", INTERNAL));
        String[] info = check(engine.query("SELECT version(), timezone()", INTERNAL)).text().strip().split("\t");
        Map<String, String> inForce = new HashMap<>();
        Map<String, String> baseline = new HashMap<>();
        for (String line : check(engine.query("SELECT name, value, changed FROM system.settings", INTERNAL))
                .text().split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            String value = unescapeTsv(f[1]);
            inForce.put(f[0], value);
            if (f[2].equals("1")) {
                baseline.put(f[0], value);
            }
        }
        Files.createDirectories(tmpDir);
        return new ClickHouseHttpHandler(engine, tmpDir, info[0], info[1], Map.copyOf(inForce), Map.copyOf(baseline),
                log, verbose);
    }

    String version() {
        return version;
    }

    String timezone() {
        return timezone;
    }

    private static Result check(Result r) throws IOException {
        if (!r.ok()) {
            throw new IOException("chDB engine setup failed: " + r.error());
        }
        return r;
    }

    /** An error answered the way a server answers it. */
    private static final class ClickHouseError extends Exception {
        private static final long serialVersionUID = 1L;
        final int code;

        ClickHouseError(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    public void handle(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        String queryId = null;
        ClickHouseResponse response;
        String sqlForLog = "";
        try {
            Map<String, String> params = parseQueryString(exchange.getRequestURI().getRawQuery());
            queryId = firstNonEmpty(params.get("query_id"),
                    exchange.getRequestHeaders().getFirst("X-ClickHouse-Query-Id"), UUID.randomUUID().toString());
            Request request = new Request(exchange, params, queryId);
            response = request.process();
            sqlForLog = request.sqlForLog;
        } catch (ClickHouseError e) {
            response = ClickHouseResponse.error(version, e.code, e.getMessage(), queryId);
        } catch (NativeCompression.CodecException e) {
            response = ClickHouseResponse.error(version, e.code(), e.getMessage(), queryId);
        } catch (IOException e) {
            // the client went away mid-request (pitfall 9) or sent a body that does not decode
            response = ClickHouseResponse.error(version, 1001, "Cannot read the request: " + e + ". (STD_EXCEPTION)",
                    queryId);
        } catch (Exception | LinkageError e) {
            e.printStackTrace(log);
            response = ClickHouseResponse.error(version, 1001,
                    "Internal error of the chDB endpoint: " + e + ". (STD_EXCEPTION)", queryId);
        }
        try {
            response.send(exchange);
        } catch (IOException e) {
            // connection reset by a client that exits with pooled connections: harmless
        } finally {
            exchange.close();
        }
        if (verbose) {
            log.printf(Locale.ROOT, "%s %d %.1f ms %s%n", exchange.getRequestMethod(), response.status(),
                    (System.nanoTime() - started) / 1e6, sqlForLog);
        }
    }

    /** One HTTP request. */
    private final class Request {
        private final HttpExchange exchange;
        private final Map<String, String> params;
        private final String queryId;
        String sqlForLog = "";

        Request(HttpExchange exchange, Map<String, String> params, String queryId) {
            this.exchange = exchange;
            this.params = params;
            this.queryId = queryId;
        }

        ClickHouseResponse process() throws Exception {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            Headers in = exchange.getRequestHeaders();
            if (path.equals("/ping") || path.equals("/replicas_status")) {
                exchange.getRequestBody().readAllBytes();
                return ClickHouseResponse.ok("Ok.\n");
            }
            if (!path.equals("/")) {
                throw new ClickHouseError(1001, "There is no handle " + path + ". (STD_EXCEPTION)");
            }
            String query = params.get("query");
            if (method.equals("GET") && query == null) {
                return ClickHouseResponse.ok("Ok.\n");
            }
            String format = firstNonEmpty(params.get("default_format"), in.getFirst("X-ClickHouse-Format"),
                    "TabSeparated");
            String database = firstNonEmpty(params.get("database"), in.getFirst("X-ClickHouse-Database"), "default");
            Map<String, String> settings = new LinkedHashMap<>();
            Map<String, String> queryParams = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : params.entrySet()) {
                if (e.getKey().startsWith("param_")) {
                    queryParams.put(e.getKey().substring("param_".length()), e.getValue());
                } else if (!RESERVED.contains(e.getKey())) {
                    settings.put(e.getKey(), e.getValue());
                }
            }

            byte[] q = query == null ? null : query.getBytes(StandardCharsets.UTF_8);
            InsertShape streamed = q == null ? null : streamableInsert(q);
            byte[] full;
            byte[] sql;
            String keyword;
            Path dataFile = null;
            try {
                if (streamed != null) {
                    // INSERT in the query parameter, data in the body (client-v2 insert, JDBC RowBinary): the body
                    // goes straight to the file, never held in memory
                    full = q;
                    sqlForLog = preview(q);
                    guardMultiStatements(q, q.length);
                    dataFile = newDataFile();
                    try (InputStream body = openBody(in)) {
                        Files.copy(body, dataFile, StandardCopyOption.REPLACE_EXISTING);
                    }
                    sql = fromInfile(q, streamed, dataFile);
                    keyword = "INSERT";
                } else {
                    byte[] body;
                    try (InputStream stream = openBody(in)) {
                        body = stream.readAllBytes();
                    }
                    full = assemble(query, body);
                    sqlForLog = preview(full);
                    if (SqlText.isBlank(full, 0, full.length)) {
                        throw new ClickHouseError(62, "Empty query. (SYNTAX_ERROR)");
                    }
                    keyword = SqlText.firstKeyword(full, full.length);
                    sql = full;
                    int statementEnd = full.length;
                    if (keyword.equals("INSERT")) {
                        InsertShape shape = SqlText.insertShape(full, full.length);
                        boolean separateData = query != null && body.length > 0;
                        if (shape.kind() == InsertKind.FORMAT
                                || (shape.kind() == InsertKind.VALUES && separateData)) {
                            // inline data would be cut at the first blank line, silently (pitfall 1): use a file
                            statementEnd = shape.dataStart();
                            guardMultiStatements(full, statementEnd);
                            dataFile = newDataFile();
                            try (OutputStream out = Files.newOutputStream(dataFile)) {
                                out.write(full, shape.dataStart(), full.length - shape.dataStart());
                            }
                            sql = fromInfile(full, shape, dataFile);
                        }
                    }
                    if (statementEnd == full.length) {
                        guardMultiStatements(full, full.length);
                    }
                }
                String effectiveFormat = format;
                if (!keyword.equals("INSERT") && full.length < (1 << 20)) {
                    String clause = SqlText.formatClause(full, full.length);
                    if (clause != null) {
                        effectiveFormat = clause;
                    }
                }
                byte[] statement = sql;
                Result result = engine.exclusive(() -> run(database, settings, statement, format, queryParams,
                        keyword));
                if (!result.ok()) {
                    return ClickHouseResponse.error(version, ClickHouseResponse.errorCode(result.error()),
                            result.error(), queryId);
                }
                return success(result, effectiveFormat, settings);
            } finally {
                if (dataFile != null) {
                    Files.deleteIfExists(dataFile);
                }
            }
        }

        /** The request body, decoded (Content-Encoding, then {@code decompress=1} native blocks). */
        private InputStream openBody(Headers in) throws IOException {
            InputStream body = exchange.getRequestBody();
            String encoding = in.getFirst("Content-Encoding");
            if (encoding != null && !encoding.isBlank() && !encoding.equalsIgnoreCase("identity")) {
                body = HttpCompression.decoding(encoding, body);
            }
            if (flag(params.get("decompress"))) {
                body = NativeCompression.decoding(body);
            }
            return body;
        }

        private ClickHouseResponse success(Result result, String format, Map<String, String> settings) throws IOException {
            byte[] data = result.data();
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", ClickHouseResponse.contentType(format));
            headers.put("X-ClickHouse-Query-Id", queryId);
            headers.put("X-ClickHouse-Format", format);
            headers.put("X-ClickHouse-Timezone", firstNonEmpty(settings.get("session_timezone"), timezone, "UTC"));
            headers.put("X-ClickHouse-Summary", ClickHouseResponse.summary(result, data.length));
            byte[] body = data;
            if (flag(params.get("compress"))) {
                body = NativeCompression.compress(body);
            }
            if (flag(settings.get("enable_http_compression")) && body.length > 0) {
                String encoding = HttpCompression.choose(exchange.getRequestHeaders().getFirst("Accept-Encoding"));
                if (encoding != null) {
                    body = HttpCompression.encode(encoding, body);
                    headers.put("Content-Encoding", encoding);
                }
            }
            return new ClickHouseResponse(200, headers, body);
        }
    }

    /** Runs one request's statements on the engine; the caller holds the engine lock. */
    private Result run(String database, Map<String, String> settings, byte[] sql, String format,
            Map<String, String> queryParams, String keyword) {
        if (!database.equals(currentDatabase)) {
            Result use = engine.query("USE " + quoteIdentifier(database), INTERNAL);
            if (!use.ok()) {
                return use;
            }
            currentDatabase = database;
        }
        List<String> applied = new ArrayList<>();
        try {
            for (Map.Entry<String, String> e : settings.entrySet()) {
                String name = e.getKey();
                if (!SETTING_NAME.matcher(name).matches()) {
                    return Result.failure("Code: 115. DB::Exception: Unknown setting '" + name + "'. (UNKNOWN_SETTING)");
                }
                if (e.getValue().equals(inForce.get(name))) {
                    continue; // already in force: spares the SET and its reset (0.9.4 sends async_insert=0 always)
                }
                Result set = engine.query("SET " + name + " = " + quoteString(e.getValue()), INTERNAL);
                if (!set.ok()) {
                    return set;
                }
                applied.add(name);
            }
            Result result = engine.query(sql, format, queryParams);
            if (keyword.equals("USE")) {
                currentDatabase = null; // the driver tracks USE itself and sends the database with each request
            } else if (keyword.equals("SET")) {
                resetChangedSettings(); // a client SET must not leak to the next request (pitfall 3)
            }
            return result;
        } finally {
            for (String name : applied) {
                reset(name);
            }
        }
    }

    private void reset(String name) {
        String value = baseline.get(name);
        Result r = engine.query("SET " + name + " = " + (value == null ? "DEFAULT" : quoteString(value)), INTERNAL);
        if (!r.ok()) {
            log.println("chdb endpoint: cannot reset setting " + name + ": " + r.error());
        }
    }

    private void resetChangedSettings() {
        Result changed = engine.query("SELECT name, value FROM system.settings WHERE changed", INTERNAL);
        if (!changed.ok()) {
            log.println("chdb endpoint: cannot read changed settings: " + changed.error());
            return;
        }
        Map<String, String> now = new HashMap<>();
        for (String line : changed.text().split("\n")) {
            if (!line.isEmpty()) {
                String[] f = line.split("\t", -1);
                now.put(f[0], unescapeTsv(f[1]));
            }
        }
        for (Map.Entry<String, String> e : now.entrySet()) {
            if (!e.getValue().equals(baseline.get(e.getKey()))) {
                reset(e.getKey());
            }
        }
        for (String name : baseline.keySet()) {
            if (!now.containsKey(name)) {
                reset(name);
            }
        }
    }

    /**
     * The shape of a {@code query} parameter that is an INSERT ending in {@code FORMAT X} or {@code VALUES} (only
     * spaces after it), so that the body is exactly the data; null otherwise (then query and body are joined).
     */
    private static InsertShape streamableInsert(byte[] q) {
        if (!SqlText.firstKeyword(q, q.length).equals("INSERT")) {
            return null;
        }
        InsertShape shape = SqlText.insertShape(q, q.length);
        if (shape.kind() == InsertKind.OTHER) {
            return null;
        }
        for (int i = shape.dataStart(); i < q.length; i++) {
            if (q[i] != ' ' && q[i] != '\t' && q[i] != '\r') {
                return null; // data starts in the query parameter itself
            }
        }
        // a query ending in a newline: joined with the body, the data would start with an empty line
        return q[q.length - 1] != '\n' ? shape : null;
    }

    private Path newDataFile() {
        return tmpDir.resolve("insert-" + tmpCounter.incrementAndGet() + ".data");
    }

    /** {@code INSERT INTO t [(cols)] FROM INFILE '<file>' COMPRESSION 'none' [SETTINGS ...] FORMAT <fmt>}. */
    private static byte[] fromInfile(byte[] full, InsertShape shape, Path file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(shape.headEnd() + 200);
        out.write(full, 0, shape.headEnd());
        out.writeBytes((" FROM INFILE " + quoteString(file.toAbsolutePath().toString()) + " COMPRESSION 'none'")
                .getBytes(StandardCharsets.UTF_8));
        if (shape.settingsStart() >= 0) {
            out.write(' ');
            out.write(full, shape.settingsStart(), shape.settingsEnd() - shape.settingsStart());
        }
        out.writeBytes((" FORMAT " + shape.format()).getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static void guardMultiStatements(byte[] sql, int end) throws ClickHouseError {
        int at = SqlText.secondStatement(sql, end);
        if (at >= 0) {
            String rest = new String(sql, at, Math.min(end - at, 60), StandardCharsets.UTF_8);
            throw new ClickHouseError(62, "Syntax error (Multi-statements are not allowed): failed at position "
                    + (at + 1) + " (end of query): " + rest + ". (SYNTAX_ERROR)");
        }
    }

    private static byte[] assemble(String query, byte[] body) {
        if (query == null) {
            return body;
        }
        byte[] q = query.getBytes(StandardCharsets.UTF_8);
        if (body.length == 0) {
            return q;
        }
        byte[] full = new byte[q.length + 1 + body.length];
        System.arraycopy(q, 0, full, 0, q.length);
        full[q.length] = '\n';
        System.arraycopy(body, 0, full, q.length + 1, body.length);
        return full;
    }

    static Map<String, String> parseQueryString(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }

    private static boolean flag(String value) {
        return value != null && (value.equals("1") || value.equalsIgnoreCase("true"));
    }

    private static String firstNonEmpty(String... values) {
        for (String v : values) {
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }

    static String quoteString(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    static String quoteIdentifier(String name) {
        return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`";
    }

    /** TabSeparated escapes, for reading system.settings. */
    static String unescapeTsv(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                switch (n) {
                    case 't' -> b.append('\t');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case '0' -> b.append('\0');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    default -> b.append(n);
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String preview(byte[] sql) {
        int n = Math.min(sql.length, 160);
        String s = new String(sql, 0, n, StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        return sql.length > n ? s + "... (" + sql.length + " bytes)" : s;
    }
}
