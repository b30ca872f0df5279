package com.mexcpipe.testkit.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Optional HTTP control of a running simulator (on the IP-echo port, under {@code /sim/}), for standalone use:
 * {@code GET /sim/snapshot}; {@code POST /sim/drop?mode=reset}, {@code /sim/stall?ms=5000}, {@code /sim/resume},
 * {@code /sim/pause}, {@code /sim/unpause}, {@code /sim/malformed?count=6[&kind=GARBAGE_TEXT]},
 * {@code /sim/rate?channel=deal&value=1000}, {@code /sim/ping-timeout?ms=2000}, {@code /sim/depth-per-ip?on=false}.
 */
final class SimControl implements HttpHandler {
    private final ExchangeSimulator sim;
    private final ObjectMapper mapper = new ObjectMapper();

    SimControl(ExchangeSimulator sim) {
        this.sim = sim;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String action = ex.getRequestURI().getPath().substring("/sim/".length());
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            if (action.equals("snapshot")) {
                IpEchoServer.respond(ex, 200, "application/json", snapshotJson());
                return;
            }
            if (!"POST".equals(ex.getRequestMethod())) {
                IpEchoServer.respond(ex, 405, "text/plain", "use POST for " + action + "\n");
                return;
            }
            String result;
            try {
                result = switch (action) {
                    case "drop" -> "dropped " + sim.dropAll(DropMode.valueOf(
                            q.getOrDefault("mode", "CLOSE_FRAME").toUpperCase(Locale.ROOT))) + "\n";
                    case "stall" -> {
                        if (q.containsKey("ms")) {
                            sim.stall(Duration.ofMillis(Long.parseLong(q.get("ms"))));
                        } else {
                            sim.stall();
                        }
                        yield "stalled\n";
                    }
                    case "resume" -> {
                        sim.resume();
                        yield "resumed\n";
                    }
                    case "pause" -> {
                        sim.pausePushes();
                        yield "pushes paused\n";
                    }
                    case "unpause" -> {
                        sim.resumePushes();
                        yield "pushes resumed\n";
                    }
                    case "malformed" -> {
                        int count = Integer.parseInt(q.getOrDefault("count", "6"));
                        int n = q.containsKey("kind")
                                ? sim.sendMalformed(count, MalformedKind.valueOf(q.get("kind").toUpperCase(Locale.ROOT)))
                                : sim.sendMalformed(count);
                        yield "sent " + n + "\n";
                    }
                    case "rate" -> {
                        Channel c = Channel.valueOf(q.getOrDefault("channel", "").toUpperCase(Locale.ROOT));
                        sim.setRate(c, Double.parseDouble(q.getOrDefault("value", "")));
                        yield c + " rate " + sim.rate(c) + "\n";
                    }
                    case "ping-timeout" -> {
                        sim.setPingTimeout(Duration.ofMillis(Long.parseLong(q.getOrDefault("ms", ""))));
                        yield "ping timeout " + sim.pingTimeout().toMillis() + " ms\n";
                    }
                    case "depth-per-ip" -> {
                        sim.setDepthPerIpLimit(Boolean.parseBoolean(q.getOrDefault("on", "true")));
                        yield "depth per IP limit " + sim.depthPerIpLimit() + "\n";
                    }
                    default -> null;
                };
            } catch (IllegalArgumentException e) {
                IpEchoServer.respond(ex, 400, "text/plain", "bad request: " + e.getMessage() + "\n");
                return;
            }
            if (result == null) {
                IpEchoServer.respond(ex, 404, "text/plain", "unknown action " + action + "\n");
            } else {
                IpEchoServer.respond(ex, 200, "text/plain", result);
            }
        }
    }

    private String snapshotJson() throws IOException {
        SimSnapshot s = sim.snapshot();
        ObjectNode root = mapper.createObjectNode();
        root.put("takenAt", s.takenAt().toString());
        root.put("stalled", sim.isStalled());
        root.put("paused", sim.isPaused());
        ArrayNode conns = root.putArray("connections");
        for (ConnectionRecord c : s.connections()) {
            ObjectNode n = conns.addObject();
            n.put("id", c.id());
            n.put("ip", c.remoteIp());
            n.put("port", c.remotePort());
            n.put("open", c.isOpen());
            n.put("connectedAt", c.connectedAt().toString());
            n.put("closedAt", c.closedAt() == null ? null : c.closedAt().toString());
            n.put("closeCode", c.closeCode());
            n.put("serverCloseCause", c.serverCloseCause());
            n.put("gzip", c.gzip());
            n.put("pings", c.pingsReceived());
            n.put("malformedSent", c.malformedSent());
            ArrayNode subs = n.putArray("subscriptions");
            for (SubscriptionRecord r : c.subscriptions()) {
                ObjectNode sn = subs.addObject();
                sn.put("method", r.method());
                sn.put("symbol", r.symbol());
                sn.put("accepted", r.accepted());
                sn.put("refusal", r.refusal());
                sn.put("at", r.at().toString());
            }
            ObjectNode pushed = n.putObject("pushed");
            c.pushed().forEach((k, v) -> pushed.putObject(k.toString()).put("frames", v.frames()).put("events", v.events()));
        }
        ArrayNode refusals = root.putArray("depthRefusals");
        for (DepthRefusal r : s.depthRefusals()) {
            refusals.addObject().put("ip", r.ip()).put("connectionId", r.connectionId()).put("symbol", r.symbol())
                    .put("holderConnectionId", r.holderConnectionId()).put("at", r.at().toString());
        }
        root.put("ipEchoRequests", s.ipEchoRequests());
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> m = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return m;
        }
        for (String kv : raw.split("&")) {
            int i = kv.indexOf('=');
            String k = URLDecoder.decode(i < 0 ? kv : kv.substring(0, i), StandardCharsets.UTF_8);
            String v = i < 0 ? "" : URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8);
            m.put(k, v);
        }
        return m;
    }
}
