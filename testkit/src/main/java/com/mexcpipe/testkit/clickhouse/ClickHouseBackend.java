package com.mexcpipe.testkit.clickhouse;

import com.clickhouse.client.api.Client;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Properties;

/**
 * A ClickHouse server reachable over HTTP, as chosen by {@link ClickHouseExtension}: an external server, a
 * Testcontainers container, or the chDB endpoint. One backend is shared by every test of a JVM, so each test works in
 * a database of its own ({@link #createDatabase}).
 *
 * @param name     what runs, e.g. {@code chDB 26.5.1.1}
 * @param httpUrl  {@code http://host:port}
 * @param user     user name
 * @param password password
 */
public record ClickHouseBackend(String name, String httpUrl, String user, String password) {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** {@code jdbc:clickhouse://host:port/<database>} ({@code jdbc:clickhouse:https://...} for TLS). */
    public String jdbcUrl(String database) {
        String base = httpUrl.endsWith("/") ? httpUrl.substring(0, httpUrl.length() - 1) : httpUrl;
        String url = base.startsWith("http://") ? "jdbc:clickhouse://" + base.substring("http://".length())
                : "jdbc:clickhouse:" + base;
        return database == null || database.isEmpty() ? url : url + "/" + database;
    }

    /** A clickhouse-jdbc connection to {@code database} with this backend's credentials. */
    public Connection connection(String database) throws SQLException {
        return connection(database, new Properties());
    }

    /** As {@link #connection(String)}, with extra driver properties (e.g. {@code compress=false}). */
    public Connection connection(String database, Properties extra) throws SQLException {
        Properties props = new Properties();
        props.putAll(extra);
        props.setProperty("user", user);
        props.setProperty("password", password);
        return DriverManager.getConnection(jdbcUrl(database), props);
    }

    /** A client-v2 {@link Client.Builder} for this backend (endpoint and credentials set). */
    public Client.Builder clientBuilder() {
        return new Client.Builder().addEndpoint(httpUrl).setUsername(user).setPassword(password);
    }

    /**
     * Creates a fresh database {@code <prefix>_<random>} and returns its name, so that tests never collide on the one
     * shared engine. The prefix is lower-cased and reduced to {@code [a-z0-9_]}.
     */
    public String createDatabase(String prefix) throws SQLException {
        String clean = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (clean.isEmpty() || !Character.isLetter(clean.charAt(0))) {
            clean = "t_" + clean;
        }
        byte[] random = new byte[5];
        RANDOM.nextBytes(random);
        String name = clean + "_" + HexFormat.of().formatHex(random);
        execute("CREATE DATABASE " + name);
        return name;
    }

    /** {@code DROP DATABASE IF EXISTS <database>}. */
    public void dropDatabase(String database) throws SQLException {
        execute("DROP DATABASE IF EXISTS `" + database.replace("`", "\\`") + "`");
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = connection("default"); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    @Override
    public String toString() {
        return name + " at " + httpUrl;
    }
}
