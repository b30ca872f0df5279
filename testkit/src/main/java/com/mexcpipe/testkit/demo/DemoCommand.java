package com.mexcpipe.testkit.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mexcpipe.common.Json;
import com.mexcpipe.common.Symbol;
import com.mexcpipe.common.Symbols;
import com.mexcpipe.common.cli.Command;
import com.mexcpipe.common.cli.ExitCodes;
import com.mexcpipe.testkit.sim.Channel;
import com.mexcpipe.testkit.sim.ConnectionRecord;
import com.mexcpipe.testkit.sim.ExchangeSimulator;
import com.mexcpipe.testkit.sim.SimSnapshot;
import com.mexcpipe.testkit.sim.SubscriptionRecord;
import com.mexcpipe.testkit.tor.PrivateTorNetwork;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;

/**
 * {@code testkit demo --tor private|none --seconds N}: the exchange simulator (one depth.full per source IP
 * enforced), a private Tor network (unless {@code --tor none}) and one real {@code client.jar} process per symbol,
 * each with its own tor pinned to its own exit. Prints a JSON summary per symbol and exits 0 only if the source IPs
 * the simulator saw are distinct, each client's published exit equals what the simulator saw, and every symbol
 * received depth. {@code --tor none} is the negative control: direct connections share one IP, so the simulator
 * refuses the second and third depth subscriptions and the demo fails.
 */
@CommandLine.Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the simulator, a private Tor network and real client processes; print a JSON summary.")
public final class DemoCommand extends Command {
    public enum TorMode { PRIVATE, NONE }

    @CommandLine.Option(names = "--tor", defaultValue = "private", description = "private | none (default private)")
    TorMode tor = TorMode.PRIVATE;

    @CommandLine.Option(names = "--seconds", defaultValue = "30", description = "how long the clients collect (default 30)")
    int seconds = 30;

    @CommandLine.Option(names = "--symbols", defaultValue = "BTC_USDT,ETH_USDT,SOL_USDT")
    String symbols = "BTC_USDT,ETH_USDT,SOL_USDT";

    @CommandLine.Option(names = "--client-jar", description = "default: client/target/client.jar found from here")
    Path clientJar;

    @CommandLine.Option(names = "--keep", description = "keep the work directory (logs, torrcs)")
    boolean keep;

    private PrintStream out = System.out;
    private JsonNode lastSummary;

    public DemoCommand output(PrintStream stream) {
        this.out = stream;
        return this;
    }

    public JsonNode lastSummary() {
        return lastSummary;
    }

    public DemoCommand configure(TorMode mode, int secs, Path jar) {
        this.tor = mode;
        this.seconds = secs;
        this.clientJar = jar;
        return this;
    }

    @Override
    protected int run() throws Exception {
        List<Symbol> syms = Symbols.parseList(symbols);
        Path jar = clientJar != null ? clientJar : ClientProcess.findClientJar().orElseThrow(() ->
                new IllegalStateException("client/target/client.jar not found; build it with mvn package"));
        Path work = Files.createTempDirectory("mexc-demo-");
        List<ClientProcess> clients = new ArrayList<>();
        PrivateTorNetwork net = null;
        try (ExchangeSimulator sim = ExchangeSimulator.builder().rates(1, 5, 5).depthPerIpLimit(true).build().start()) {
            if (tor == TorMode.PRIVATE) {
                net = PrivateTorNetwork.builder().exits(syms.size()).start();
            }
            for (int i = 0; i < syms.size(); i++) {
                Symbol s = syms.get(i);
                Path dir = Files.createDirectories(work.resolve(s.base()));
                Map<String, String> env = new HashMap<>();
                env.put("SYMBOL", s.value());
                env.put("MEXC_WS_URL", sim.uri().toString());
                env.put("CLICKHOUSE_URL", "http://127.0.0.1:1"); // none: rows stay in the buffer/spool
                env.put("SPOOL_DIR", dir.resolve("spool").toString());
                env.put("CONTROL_DIR", work.resolve("control").toString());
                env.put("HTTP_BIND", "127.0.0.1");
                env.put("HTTP_PORT", Integer.toString(ClientProcess.freePort()));
                env.put("RECONNECT_MIN_MS", "500");
                env.put("RECONNECT_MAX_MS", "3000");
                env.put("STATS_INTERVAL_S", "10");
                if (net != null) {
                    Path extra = dir.resolve("private-network.torrc");
                    Files.write(extra, net.clientTorrcLines(i), StandardCharsets.UTF_8);
                    env.put("TOR_ENABLED", "true");
                    env.put("TOR_PATH", torPath());
                    env.put("TOR_DATA_DIR", dir.resolve("tor").toString());
                    env.put("TOR_SOCKS_PORT", Integer.toString(ClientProcess.freePort()));
                    env.put("TOR_CONTROL_PORT", Integer.toString(ClientProcess.freePort()));
                    env.put("TOR_EXTRA_TORRC", extra.toString());
                    env.put("TOR_BOOTSTRAP_TIMEOUT_S", "120");
                    env.put("IP_ECHO_URL", sim.ipEchoUri().toString());
                    env.put("EXIT_CHECK_INTERVAL_S", "30");
                } else {
                    env.put("TOR_ENABLED", "false");
                }
                clients.add(ClientProcess.start(jar, s.value(), env, dir.resolve("client.log")));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            while (System.nanoTime() < deadline) {
                Thread.sleep(500);
                for (ClientProcess c : clients) {
                    if (!c.process().isAlive()) {
                        throw new IllegalStateException(c.symbol() + " client exited: " + c.logTail(30));
                    }
                }
            }
            ObjectNode summary = summarize(syms, sim.snapshot(), clients, net);
            lastSummary = summary;
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(summary));
            out.flush();
            return summary.get("ok").asBoolean() ? ExitCodes.OK : ExitCodes.FAILED;
        } finally {
            for (ClientProcess c : clients) {
                c.close();
            }
            if (net != null) {
                net.close();
            }
            if (!keep) {
                deleteTree(work);
            } else {
                out.println("work directory kept: " + work);
            }
        }
    }

    private ObjectNode summarize(List<Symbol> syms, SimSnapshot snap, List<ClientProcess> clients,
            PrivateTorNetwork net) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("tor", tor.name().toLowerCase(java.util.Locale.ROOT));
        root.put("seconds", seconds);
        ArrayNode arr = root.putArray("symbols");
        Set<String> ips = new HashSet<>();
        boolean allDepth = true;
        boolean allExitsMatch = true;
        for (int i = 0; i < syms.size(); i++) {
            Symbol s = syms.get(i);
            ClientProcess c = clients.get(i);
            ObjectNode n = arr.addObject();
            n.put("symbol", s.value());
            Optional<ConnectionRecord> conn = connectionFor(snap, s.value());
            String ip = conn.map(ConnectionRecord::remoteIp).orElse(null);
            boolean accepted = conn.map(cr -> cr.subscriptions().stream().anyMatch(sr ->
                    sr.method().equals("sub.depth.full") && sr.symbol().equals(s.value()) && sr.accepted())).orElse(false);
            long refusals = snap.depthRefusals().stream().filter(r -> s.value().equals(r.symbol())).count();
            n.put("sourceIp", ip);
            n.put("depthAccepted", accepted);
            n.put("depthRefusals", refusals);
            n.put("connections", snap.connections().stream().filter(cr -> subscribed(cr, s.value())).count());
            ObjectNode pushed = n.putObject("framesPushed");
            for (Channel ch : Channel.values()) {
                pushed.put(ch.name().toLowerCase(java.util.Locale.ROOT), snap.pushed(s.value(), ch).frames());
            }
            Optional<JsonNode> st = c.status();
            JsonNode decoded = st.map(x -> x.path("rows").path("decoded")).orElse(null);
            n.set("rowsDecoded", decoded == null ? Json.MAPPER.nullNode() : decoded);
            String exit = st.map(x -> x.path("exit").path("exit").path("ip").asText(null)).orElse(null);
            n.put("publishedExit", exit);
            if (net != null) {
                n.put("pinnedExitSource", net.exitSourceAddress(i));
            }
            boolean exitMatches = tor == TorMode.NONE || (exit != null && exit.equals(ip));
            n.put("exitMatches", exitMatches);
            if (ip != null) {
                ips.add(ip);
            }
            allDepth &= accepted && decoded != null && decoded.path("dp").asLong() > 0;
            allExitsMatch &= exitMatches;
        }
        boolean distinct = ips.size() == syms.size();
        root.put("distinctSourceIps", distinct);
        root.put("allReceivedDepth", allDepth);
        root.put("allExitsMatch", allExitsMatch);
        root.put("ok", distinct && allDepth && allExitsMatch);
        return root;
    }

    private static boolean subscribed(ConnectionRecord c, String symbol) {
        return c.subscriptions().stream().anyMatch(s -> symbol.equals(s.symbol()));
    }

    /** The latest connection that got this symbol's depth; else the latest that asked for it. */
    private static Optional<ConnectionRecord> connectionFor(SimSnapshot snap, String symbol) {
        ConnectionRecord best = null;
        for (ConnectionRecord c : snap.connections()) {
            for (SubscriptionRecord s : c.subscriptions()) {
                if (symbol.equals(s.symbol()) && s.method().equals("sub.depth.full")) {
                    if (s.accepted() || best == null || !bestAccepted(best, symbol)) {
                        best = c;
                    }
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean bestAccepted(ConnectionRecord c, String symbol) {
        return c.subscriptions().stream().anyMatch(s -> symbol.equals(s.symbol()) && s.method().equals("sub.depth.full")
                && s.accepted());
    }

    static String torPath() {
        for (String p : List.of("/usr/bin/tor", "/usr/sbin/tor", "/usr/local/bin/tor")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        return "tor";
    }

    static void deleteTree(Path p) {
        try (var s = Files.walk(p)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
