package com.mexcpipe.testkit.chdb;

import com.mexcpipe.testkit.chdb.ChdbEngine.Result;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One HTTP answer of the endpoint, shaped as ClickHouse's HTTP interface shapes it (headers, error text, status). */
record ClickHouseResponse(int status, Map<String, String> headers, byte[] body) {
    private static final Pattern ERROR_CODE = Pattern.compile("^Code: (\\d+)\\.");

    static ClickHouseResponse ok(String text) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "text/html; charset=UTF-8");
        return new ClickHouseResponse(200, headers, text.getBytes(StandardCharsets.UTF_8));
    }

    /** An error as the server sends it: {@code Code: N. DB::Exception: …} with the exception-code header. */
    static ClickHouseResponse error(String version, int code, String message, String queryId) {
        String text = message.strip();
        if (!ERROR_CODE.matcher(text).find()) {
            text = "Code: " + code + ". DB::Exception: " + text;
        }
        if (!text.contains("(version ")) {
            text = text + " (version " + version + " (official build))";
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "text/plain; charset=UTF-8");
        if (queryId != null) {
            headers.put("X-ClickHouse-Query-Id", queryId);
        }
        headers.put("X-ClickHouse-Exception-Code", Integer.toString(code));
        return new ClickHouseResponse(httpStatus(code), headers, (text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The code of an engine error text ({@code Code: N. …}); 1001 (STD_EXCEPTION) if it has none. */
    static int errorCode(String error) {
        Matcher m = ERROR_CODE.matcher(error.strip());
        return m.find() ? Integer.parseInt(m.group(1)) : 1001;
    }

    /** A subset of ClickHouse's exceptionCodeToHTTPStatus. */
    static int httpStatus(int code) {
        return switch (code) {
            case 516, 192, 193, 194, 195 -> 401; // AUTHENTICATION_FAILED, UNKNOWN_USER, WRONG_PASSWORD, ...
            case 497, 164 -> 403; // ACCESS_DENIED, READONLY
            case 6, 25, 26, 27, 32, 38, 41, 53, 62, 69, 72, 117, 130, 167, 168, 169, 170, 171, 240, 241, 271, 285, 432,
                    457, 458 -> 400; // parse errors, SYNTAX_ERROR, TYPE_MISMATCH, BAD_QUERY_PARAMETER, codecs
            case 46, 47, 50, 56, 60, 63, 73, 81, 115 -> 404; // UNKNOWN_FUNCTION/IDENTIFIER/TYPE/STORAGE/TABLE/...
            case 306 -> 413; // QUERY_IS_TOO_LARGE
            case 48 -> 501; // NOT_IMPLEMENTED
            case 209, 210 -> 503; // SOCKET_TIMEOUT, NETWORK_ERROR
            default -> 500;
        };
    }

    void send(HttpExchange exchange) throws IOException {
        Headers out = exchange.getResponseHeaders();
        headers.forEach(out::set);
        out.set("X-ClickHouse-Server-Display-Name", "chdb");
        out.set("Keep-Alive", "timeout=10");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        }
    }

    /** {@code X-ClickHouse-Summary}: a JSON object whose values are strings. */
    static String summary(Result r, int resultBytes) {
        return "{\"read_rows\":\"" + r.rowsRead() + "\",\"read_bytes\":\"" + r.bytesRead()
                + "\",\"written_rows\":\"" + r.rowsWritten() + "\",\"written_bytes\":\"" + r.bytesWritten()
                + "\",\"total_rows_to_read\":\"" + r.rowsRead() + "\",\"result_rows\":\"" + r.resultRows()
                + "\",\"result_bytes\":\"" + resultBytes
                + "\",\"elapsed_ns\":\"" + Math.round(r.elapsedSeconds() * 1e9) + "\"}";
    }

    static String contentType(String format) {
        String f = format.toLowerCase(Locale.ROOT);
        if (f.startsWith("json")) {
            return "application/json; charset=UTF-8";
        }
        if (f.startsWith("tabseparated") || f.startsWith("tsv") || f.equals("tskv")) {
            return "text/tab-separated-values; charset=UTF-8";
        }
        if (f.startsWith("csv")) {
            return "text/csv; charset=UTF-8; header=absent";
        }
        if (f.startsWith("rowbinary") || f.equals("native") || f.equals("parquet") || f.startsWith("arrow")
                || f.equals("orc") || f.equals("avro")) {
            return "application/octet-stream";
        }
        return "text/plain; charset=UTF-8";
    }
}
