package com.mexcpipe.testkit.client;

import com.mexcpipe.client.ClientConfig;
import com.mexcpipe.client.ClientRoute;
import com.mexcpipe.client.ClientRuntime;
import com.mexcpipe.client.status.RouteStatus;
import com.mexcpipe.client.store.RowStore;
import com.mexcpipe.client.tor.TorRoute;
import com.mexcpipe.client.transport.DirectRoute;
import com.mexcpipe.client.transport.Route;
import com.mexcpipe.common.Env;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs a real {@link ClientRuntime} in this JVM against a test exchange (simulator) and a test store, with the
 * environment a test chooses on top of fast test defaults (short ping, silence and reconnect times; status on a free
 * port; spool and control folders under {@code dir}).
 */
public final class ClientHarness {
    private ClientHarness() {
    }

    public static Map<String, String> testEnv(String symbol, String wsUrl, Path dir) {
        Map<String, String> env = new HashMap<>();
        env.put("SYMBOL", symbol);
        env.put("MEXC_WS_URL", wsUrl);
        env.put("TOR_ENABLED", "false");
        env.put("HTTP_BIND", "127.0.0.1");
        env.put("HTTP_PORT", "0");
        env.put("SPOOL_DIR", dir.resolve("spool-" + symbol).toString());
        env.put("CONTROL_DIR", dir.resolve("control").toString());
        env.put("PING_INTERVAL_MS", "1000");
        env.put("SILENCE_TIMEOUT_MS", "3000");
        env.put("RECONNECT_MIN_MS", "50");
        env.put("RECONNECT_MAX_MS", "500");
        env.put("CONNECT_TIMEOUT_MS", "5000");
        env.put("FLUSH_INTERVAL_MS", "50");
        env.put("STATS_INTERVAL_S", "5");
        env.put("CONTROL_POLL_MS", "50");
        env.put("SHUTDOWN_FLUSH_S", "5");
        env.put("CLICKHOUSE_URL", "http://127.0.0.1:1");
        return env;
    }

    public static ClientConfig config(Map<String, String> env) {
        return ClientConfig.fromEnv(new Env(env));
    }

    /** Started in-process with a direct route (optionally another route, e.g. a SOCKS relay). */
    public static ClientRuntime start(Map<String, String> env, RowStore store, Route route) throws Exception {
        ClientConfig cfg = config(env);
        Route r = route != null ? route : new DirectRoute(null);
        return new ClientRuntime(cfg, store, ClientRoute.of(r, RouteStatus.DIRECT), Clock.systemUTC()).start();
    }

    /** Started in-process with its own tor (a {@link TorRoute}); close the returned route after the runtime. */
    public static Started startWithTor(Map<String, String> env, RowStore store) throws Exception {
        ClientConfig cfg = config(env);
        TorRoute route = new TorRoute(cfg, Clock.systemUTC(), null);
        try {
            return new Started(new ClientRuntime(cfg, store, route, Clock.systemUTC()).start(), route);
        } catch (Exception e) {
            route.close();
            throw e;
        }
    }

    /** A runtime and its tor route, closed in that order. */
    public record Started(ClientRuntime runtime, TorRoute route) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            try {
                runtime.close();
            } finally {
                route.close();
            }
        }
    }

    public static ClientRuntime start(Map<String, String> env, RowStore store) throws Exception {
        return start(env, store, null);
    }

    /** Convenience: a mutable copy with overrides. */
    public static Map<String, String> with(Map<String, String> env, String... kv) {
        Map<String, String> m = new HashMap<>(env);
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
