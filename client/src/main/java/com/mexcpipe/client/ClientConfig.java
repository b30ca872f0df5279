package com.mexcpipe.client;

import com.mexcpipe.client.store.BatcherConfig;
import com.mexcpipe.client.transport.SessionConfig;
import com.mexcpipe.common.Env;
import com.mexcpipe.common.Symbol;
import com.mexcpipe.common.clickhouse.ClickHouseSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/** Everything the client reads from its environment, validated at once (README lists every variable). */
public record ClientConfig(
        Symbol symbol,
        SessionConfig session,
        ClickHouseSettings clickHouse,
        BatcherConfig batcher,
        Path controlDir,
        Path spoolDir,
        String httpBind,
        int httpPort,
        Duration statsInterval,
        Duration pauseLease,
        Duration controlPoll,
        Duration shutdownFlush,
        Tor tor) {

    /**
     * @param enabled          false = connect directly (development only; logged loudly)
     * @param torPath          the tor binary
     * @param dataDir          tor's DataDirectory (the client writes its torrc there)
     * @param socksPort        SocksPort on 127.0.0.1
     * @param controlPort      ControlPort on 127.0.0.1 (cookie authentication)
     * @param exitCountries    ExitNodes country codes, e.g. [de, nl] ({de},{nl}); empty = any
     * @param strictExit       StrictNodes: only those countries
     * @param extraTorrc       a file appended to the generated torrc (test networks), or null
     * @param bootstrapTimeout how long to wait for 100% bootstrap before restarting tor
     * @param ipEchoUrl        an IP-echo URL fetched through the SOCKS port to learn the exit IP
     * @param exitCheckInterval re-check the exit IP this often (and after every reconnect)
     */
    public record Tor(boolean enabled, Path torPath, Path dataDir, int socksPort, int controlPort,
            List<String> exitCountries, boolean strictExit, Path extraTorrc, Duration bootstrapTimeout, URI ipEchoUrl,
            Duration exitCheckInterval) {
    }

    private static final Pattern COUNTRY = Pattern.compile("[a-z]{2}");

    public static ClientConfig fromEnv(Env env) {
        Symbol symbol = env.parsed("SYMBOL", null, Symbol::parse);
        if (symbol == null && env.raw("SYMBOL") == null) {
            env.required("SYMBOL", "BTC_USDT");
        }
        URI ws = env.uri("MEXC_WS_URL", "wss://contract.mexc.com/edge", "wss", "ws");
        int depth = env.intInRange("DEPTH_LIMIT", 20, 5, 20);
        if (depth != 5 && depth != 10 && depth != 20) {
            env.problem("DEPTH_LIMIT=" + depth + " must be 5, 10 or 20");
        }
        Duration ping = env.millis("PING_INTERVAL_MS", 15_000, 1_000, 50_000);
        Duration silence = env.millis("SILENCE_TIMEOUT_MS", 30_000, 1_000, 600_000);
        Duration connect = env.millis("CONNECT_TIMEOUT_MS", 30_000, 1_000, 300_000);
        Duration rMin = env.millis("RECONNECT_MIN_MS", 1_000, 10, 60_000);
        Duration rMax = env.millis("RECONNECT_MAX_MS", 60_000, 100, 3_600_000);
        if (rMax.compareTo(rMin) < 0) {
            env.problem("RECONNECT_MAX_MS=" + rMax.toMillis() + " is below RECONNECT_MIN_MS=" + rMin.toMillis());
            rMax = rMin;
        }
        int newCircuitAfter = env.intInRange("NEW_CIRCUIT_AFTER_FAILURES", 3, 1, 1000);

        ClickHouseSettings ch = ClickHouseSettings.fromEnv(env);
        BatcherConfig batcher = new BatcherConfig(
                env.millis("FLUSH_INTERVAL_MS", 200, 10, 60_000),
                env.intInRange("BATCH_MAX_ROWS", 20_000, 1, 1_000_000),
                env.longInRange("BUFFER_MAX_BYTES", 64L << 20, 1L << 16, 1L << 40),
                env.longInRange("SPOOL_MAX_BYTES", 8L << 30, 1L << 16, 1L << 50),
                env.millis("INSERT_RETRY_MIN_MS", 250, 1, 60_000),
                env.millis("INSERT_RETRY_MAX_MS", 10_000, 1, 600_000),
                env.millis("INSERT_FATAL_RETRY_MS", 30_000, 1, 3_600_000));
        if (batcher.retryMax().compareTo(batcher.retryMin()) < 0) {
            env.problem("INSERT_RETRY_MAX_MS is below INSERT_RETRY_MIN_MS");
        }

        boolean torEnabled = env.bool("TOR_ENABLED", true);
        List<String> countries = env.parsed("TOR_EXIT_COUNTRIES", "", ClientConfig::countries);
        Tor tor = new Tor(torEnabled,
                env.path("TOR_PATH", "/usr/bin/tor"),
                env.path("TOR_DATA_DIR", "/var/lib/mexc-tor"),
                env.intInRange("TOR_SOCKS_PORT", 9050, 1, 65535),
                env.intInRange("TOR_CONTROL_PORT", 9051, 1, 65535),
                countries == null ? List.of() : countries,
                env.bool("TOR_STRICT_EXIT", false),
                env.raw("TOR_EXTRA_TORRC") == null ? null : env.path("TOR_EXTRA_TORRC", null),
                env.seconds("TOR_BOOTSTRAP_TIMEOUT_S", 300, 10, 3600),
                env.uri("IP_ECHO_URL", "https://check.torproject.org/api/ip", "http", "https"),
                env.seconds("EXIT_CHECK_INTERVAL_S", 600, 10, 86_400));
        if (torEnabled && tor.socksPort() == tor.controlPort()) {
            env.problem("TOR_SOCKS_PORT and TOR_CONTROL_PORT are both " + tor.socksPort());
        }

        ClientConfig cfg = new ClientConfig(symbol,
                symbol == null ? null : new SessionConfig(ws, symbol, depth, ping, silence, connect, rMin, rMax,
                        Duration.ofSeconds(60), newCircuitAfter),
                ch, batcher,
                env.path("CONTROL_DIR", "/control"),
                env.path("SPOOL_DIR", "/spool"),
                env.string("HTTP_BIND", "0.0.0.0"),
                env.intInRange("HTTP_PORT", 8080, 0, 65535),
                env.seconds("STATS_INTERVAL_S", 15, 1, 3600),
                env.seconds("PAUSE_LEASE_S", 60, 5, 3600),
                env.millis("CONTROL_POLL_MS", 500, 10, 60_000),
                env.seconds("SHUTDOWN_FLUSH_S", 10, 0, 600),
                tor);
        env.validate();
        return cfg;
    }

    static List<String> countries(String text) {
        if (text.isBlank()) {
            return List.of();
        }
        List<String> out = new java.util.ArrayList<>();
        for (String part : text.split(",")) {
            String c = part.trim().toLowerCase(java.util.Locale.ROOT).replace("{", "").replace("}", "");
            if (!COUNTRY.matcher(c).matches()) {
                throw new IllegalArgumentException("'" + part.trim() + "' is not a two-letter country code (e.g. de,nl,ch)");
            }
            out.add(c);
        }
        return List.copyOf(out);
    }
}
