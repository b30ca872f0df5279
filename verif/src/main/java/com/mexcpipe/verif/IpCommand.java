package com.mexcpipe.verif;

import com.fasterxml.jackson.databind.JsonNode;
import com.mexcpipe.common.Json;
import com.mexcpipe.common.cli.Command;
import com.mexcpipe.common.cli.UnavailableException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;

/**
 * {@code verif ip}: each client's exit IP and country (from its {@code /status}), all distinct, none equal to the
 * host's own IP, each client connected to MEXC with live depth and using Tor.
 */
@CommandLine.Command(name = "ip", mixinStandardHelpOptions = true,
        description = {"Check IP separation: every client exits through its own Tor exit, none is this host's IP,",
            "and every client is connected with live depth. Exit 0 = all checks passed, 1 = a check failed,",
            "3 = no client answered."})
public final class IpCommand extends Command {
    @CommandLine.Option(names = "--clients", split = ",",
            description = "client status URLs (default: http://127.0.0.1:<STATUS_PORT_BASE+1>… one per symbol of"
                    + " SYMBOLS, both from .env; without SYMBOLS the next 9 ports)")
    List<String> clients;

    @CommandLine.Option(names = "--host-ip", description = "this host's public IP (default: ask --host-ip-url)")
    String hostIp;

    @CommandLine.Option(names = "--host-ip-url", defaultValue = "https://api.ipify.org",
            description = "IP-echo URL asked directly, not through Tor (default ${DEFAULT-VALUE})")
    String hostIpUrl;

    @CommandLine.Option(names = "--env-file", defaultValue = ".env")
    java.nio.file.Path envFile;

    @CommandLine.Option(names = "--json", description = "machine-readable output")
    boolean json;

    private final PrintStream out;

    public IpCommand() {
        this(System.out);
    }

    IpCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    protected int run() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        List<String> urls = clients != null ? clients : defaultUrls(DotEnv.load(envFile));
        List<JsonNode> statuses = new ArrayList<>();
        for (String u : urls) {
            fetchStatus(http, u).ifPresent(statuses::add);
        }
        if (statuses.isEmpty()) {
            throw new UnavailableException("no client status answered on " + (clients != null ? String.join(", ", urls)
                    : urls.get(0) + " … " + urls.get(urls.size() - 1)) + " — is the stack up? docker-compose ps (or pass --clients URL,…)");
        }
        String host = hostIp != null ? hostIp : askHostIp(http);
        Report r = new Report("ip", "symbol", "state", "exit ip", "country", "checked", "relay", "depth live", "tor");
        Set<String> seen = new HashSet<>();
        boolean distinct = true;
        boolean allPublished = true;
        boolean allConnected = true;
        boolean allTor = true;
        boolean noneIsHost = true;
        for (JsonNode s : statuses) {
            JsonNode exit = s.path("exit").path("exit");
            String ip = text(exit, "ip");
            String symbol = text(s, "symbol");
            boolean depth = !s.path("subscriptionsLiveSince").path("depth.full").isNull()
                    && !s.path("subscriptionsLiveSince").path("depth.full").isMissingNode();
            boolean connected = "connected".equals(text(s, "state")) && depth;
            boolean tor = s.path("tor").path("enabled").asBoolean(false);
            Map<String, Object> row = r.row();
            row.put("symbol", symbol);
            row.put("state", text(s, "state"));
            row.put("exit ip", ip);
            row.put("country", text(exit, "country"));
            row.put("checked", age(text(exit, "checkedAt")));
            row.put("relay", text(exit, "relayNickname"));
            row.put("depth live", depth ? "yes" : "no");
            row.put("tor", tor ? text(s.path("tor"), "state") : "DISABLED");
            allPublished &= ip != null;
            allConnected &= connected;
            allTor &= tor;
            if (ip != null) {
                distinct &= seen.add(ip);
                noneIsHost &= host == null || !host.equals(ip);
            }
        }
        r.check("every client publishes its exit IP", allPublished, allPublished ? "" : "a client has no exit yet"
                + " (tor still bootstrapping? see its /status)");
        r.check("exit IPs are distinct", distinct, seen.size() + " distinct of " + statuses.size() + " clients");
        if (host == null) {
            r.warn("no exit is this host's IP", "host IP unknown (could not reach " + hostIpUrl + "; pass --host-ip)");
        } else {
            r.check("no exit is this host's IP (" + host + ")", noneIsHost, noneIsHost ? "" : "a client leaves directly");
        }
        r.check("every client uses Tor", allTor, allTor ? "" : "a client runs with TOR_ENABLED=false");
        r.check("every client is connected to MEXC with live depth", allConnected, allConnected ? ""
                : "see the client's /status and logs (docker-compose logs client-…)");
        r.print(out, json);
        return r.exitCode();
    }

    /** The clients' status ports as ./setup writes them: STATUS_PORT_BASE + 1 … + the number of SYMBOLS. */
    static List<String> defaultUrls(DotEnv env) {
        int base;
        try {
            base = Integer.parseInt(env.get("STATUS_PORT_BASE", "8080").strip());
        } catch (NumberFormatException e) {
            throw new com.mexcpipe.common.ConfigException("STATUS_PORT_BASE=" + env.get("STATUS_PORT_BASE", "") + " (.env) is not a port number");
        }
        String symbols = env.get("SYMBOLS", "");
        int n = symbols.isBlank() ? 9 : symbols.split(",").length;
        List<String> urls = new ArrayList<>();
        for (int p = base + 1; p <= base + n; p++) {
            urls.add("http://127.0.0.1:" + p);
        }
        return urls;
    }

    static Optional<JsonNode> fetchStatus(HttpClient http, String base) {
        String u = base.endsWith("/status") ? base : base.replaceAll("/+$", "") + "/status";
        try {
            HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(u)).timeout(Duration.ofSeconds(3))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() != 200) {
                return Optional.empty();
            }
            JsonNode n = Json.MAPPER.readTree(resp.body());
            return n.hasNonNull("symbol") && n.has("exchange") ? Optional.of(n) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private String askHostIp(HttpClient http) {
        try {
            HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(hostIpUrl))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            String b = resp.body().trim();
            return resp.statusCode() == 200 && b.matches("[0-9a-fA-F.:]{2,45}") ? b : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    static String age(String iso) {
        if (iso == null) {
            return null;
        }
        long s = Duration.between(Instant.parse(iso), Instant.now()).toSeconds();
        return s < 120 ? s + " s ago" : s / 60 + " min ago";
    }
}
