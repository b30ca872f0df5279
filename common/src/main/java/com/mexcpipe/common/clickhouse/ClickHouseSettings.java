package com.mexcpipe.common.clickhouse;

import com.mexcpipe.common.Env;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Where ClickHouse is and how to log in, from {@code CLICKHOUSE_URL}, {@code CLICKHOUSE_USER},
 * {@code CLICKHOUSE_PASSWORD} and {@code CLICKHOUSE_DATABASE}. The password is never printed.
 */
public record ClickHouseSettings(URI httpUrl, String user, String password, String database) {
    public static final String DEFAULT_URL = "http://clickhouse:8123";
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    public ClickHouseSettings {
        if (!IDENTIFIER.matcher(database).matches()) {
            throw new IllegalArgumentException("database name must match " + IDENTIFIER + ": '" + database + "'");
        }
    }

    public static ClickHouseSettings fromEnv(Env env) {
        URI url = env.uri("CLICKHOUSE_URL", DEFAULT_URL, "http", "https");
        String user = env.string("CLICKHOUSE_USER", "default");
        String password = env.secret("CLICKHOUSE_PASSWORD", "");
        String db = env.string("CLICKHOUSE_DATABASE", "mexc");
        if (!IDENTIFIER.matcher(db).matches()) {
            env.problem("CLICKHOUSE_DATABASE=" + db + " is not a valid database name (letters, digits, _)");
            db = "mexc";
        }
        return new ClickHouseSettings(url == null ? URI.create(DEFAULT_URL) : url, user, password, db);
    }

    /** {@code host:port} for messages. */
    public String endpoint() {
        int port = httpUrl.getPort() > 0 ? httpUrl.getPort() : ("https".equals(httpUrl.getScheme()) ? 8443 : 8123);
        return httpUrl.getHost() + ":" + port;
    }

    /** The JDBC URL without a database path; statements name their tables fully ({@code db.table}). */
    public String jdbcUrl() {
        String base = httpUrl.toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return "jdbc:clickhouse:" + base;
    }

    /** A new JDBC connection (clickhouse-jdbc); the caller closes it. */
    public Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        // 0.10+ no longer forces synchronous inserts; acknowledgement must mean "stored" for zero loss
        p.setProperty("clickhouse_setting_async_insert", "0");
        return DriverManager.getConnection(jdbcUrl(), p);
    }

    /** Fully qualified, quoted table name. */
    public String table(String name) {
        return quote(database) + "." + quote(name);
    }

    public static String quote(String identifier) {
        return "`" + identifier.replace("\\", "\\\\").replace("`", "\\`") + "`";
    }

    @Override
    public String toString() {
        return "ClickHouse " + httpUrl + " user=" + user + " database=" + database;
    }
}
