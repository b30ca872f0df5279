package com.mexcpipe.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Protocol, push structure and the live rules, through a plain Java-WebSocket client. */
class ExchangeSimulatorTest {
    private static final Duration T = Duration.ofSeconds(5);
    private final List<AutoCloseable> closeables = new ArrayList<>();

    private ExchangeSimulator start(SimulatorBuilder b) {
        ExchangeSimulator sim = b.seed(7).start();
        closeables.add(sim);
        return sim;
    }

    private SimClient client(ExchangeSimulator sim) throws InterruptedException {
        return client(sim, null);
    }

    private SimClient client(ExchangeSimulator sim, String localIp) throws InterruptedException {
        SimClient c = SimClient.connect(sim.uri(), null, localIp);
        closeables.add(0, c::closeBlocking);
        return c;
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private static List<String> keys(JsonNode n) {
        List<String> l = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            l.add(it.next());
        }
        return l;
    }

    @Test
    void acksPongAndNoAnswerToUnknownMethods() throws Exception {
        ExchangeSimulator sim = start(ExchangeSimulator.builder());
        assertThat(sim.uri().toString()).startsWith("ws://127.0.0.1:").endsWith("/edge");
        SimClient c = client(sim);
        for (String method : List.of("sub.ticker", "sub.deal", "sub.depth.full")) {
            c.sub(method, "BTC_USDT");
            SimClient.Msg ack = c.awaitChannel("rs." + method, T);
            assertThat(ack).as(method).isNotNull();
            assertThat(keys(ack.json())).containsExactly("channel", "data", "ts");
            assertThat(ack.json().get("data").asText()).isEqualTo("success");
            assertThat(ack.json().get("ts").isIntegralNumber()).isTrue();
            assertThat(ack.binary()).isFalse();
        }
        c.send("{\"method\":\"sub.kline\",\"param\":{\"symbol\":\"BTC_USDT\",\"interval\":\"Min1\"}}");
        c.send("not json at all");
        long before = System.currentTimeMillis();
        c.ping();
        SimClient.Msg pong = c.awaitChannel("pong", T);
        assertThat(pong).isNotNull();
        assertThat(pong.json().get("data").isIntegralNumber()).isTrue();
        assertThat(pong.json().get("data").asLong()).isBetween(before - 5, System.currentTimeMillis() + 5);
        assertThat(pong.json().get("ts").isIntegralNumber()).isTrue();
        assertThat(c.all).noneMatch(m -> m.channel() != null && m.channel().contains("kline"));

        ConnectionRecord r = sim.snapshot().connections().get(0);
        assertThat(r.remoteIp()).isEqualTo("127.0.0.1");
        assertThat(r.remotePort()).isEqualTo(c.getLocalSocketAddress().getPort());
        assertThat(r.path()).isEqualTo("/edge");
        assertThat(r.pingsReceived()).isEqualTo(1);
        assertThat(r.pongsSent()).isEqualTo(1);
        assertThat(r.badRequests()).isEqualTo(2);
        assertThat(r.subscriptions()).extracting(SubscriptionRecord::method)
                .containsExactly("sub.ticker", "sub.deal", "sub.depth.full");
        assertThat(r.subscriptions()).allMatch(SubscriptionRecord::accepted);
        assertThat(r.subscriptions().get(2).limit()).isEqualTo(20);
    }

    @Test
    void unknownContractsGetRsError() throws Exception {
        ExchangeSimulator sim = start(ExchangeSimulator.builder().unknownSymbols(Set.of("NOPE_USDT", "GONE_USDT")));
        SimClient c = client(sim);
        c.sub("sub.deal", "NOPE_USDT");
        SimClient.Msg err = c.awaitChannel("rs.error", T);
        assertThat(err.json().get("data").asText()).isEqualTo("Contract [NOPE_USDT] not exists");
        assertThat(err.json().get("ts").isIntegralNumber()).isTrue();
        c.sub("sub.ticker", "btc_usdt");
        assertThat(c.awaitChannel("rs.error", T).json().get("data").asText()).isEqualTo("Contract [btc_usdt] not exists");
        c.send("{\"method\":\"sub.ticker\",\"param\":{}}");
        assertThat(c.awaitChannel("rs.error", T).json().get("data").asText()).isEqualTo("Contract doesn't exist!");
        c.send("{\"method\":\"sub.deal\",\"param\":{\"symbol\":\"A\\\"B\\\\C_USDT\"}}");
        assertThat(c.awaitChannel("rs.error", T).json().get("data").asText()).isEqualTo("Contract [A\"B\\C_USDT] not exists");
        c.sub("sub.deal", "PEPE1000_USDT");
        assertThat(c.awaitChannel("rs.sub.deal", T)).isNotNull();
        Thread.sleep(300);
        assertThat(c.all).noneMatch(m -> "push.deal".equals(m.channel()) && m.text().contains("NOPE_USDT"));
        ConnectionRecord r = sim.snapshot().connections().get(0);
        assertThat(r.subscriptions()).extracting(SubscriptionRecord::accepted).containsExactly(false, false, false, false, true);
        assertThat(r.errorsSent()).hasSize(4);

        ExchangeSimulator only = start(ExchangeSimulator.builder().knownSymbols(List.of("BTC_USDT")));
        SimClient c2 = client(only);
        c2.sub("sub.deal", "ETH_USDT");
        assertThat(c2.awaitChannel("rs.error", T).json().get("data").asText()).isEqualTo("Contract [ETH_USDT] not exists");
        c2.sub("sub.deal", "BTC_USDT");
        assertThat(c2.awaitChannel("rs.sub.deal", T)).isNotNull();
    }

    @Test
    void tickerPushHasEveryFieldWithTheRightType() throws Exception {
        ExchangeSimulator sim = start(ExchangeSimulator.builder().rates(40, 0, 0));
        SimClient c = client(sim);
        c.sub("sub.ticker", "ETH_USDT");
        List<SimClient.Msg> frames = c.collect("push.ticker", 40, T);
        assertThat(frames).hasSize(40);
        int symbolFirst = 0;
        for (SimClient.Msg m : frames) {
            JsonNode n = m.json();
            assertThat(keys(n)).containsExactlyInAnyOrder("channel", "data", "symbol", "ts");
            assertThat(n.get("symbol").asText()).isEqualTo("ETH_USDT");
            long ts = n.get("ts").asLong();
            assertThat(n.get("ts").isIntegralNumber()).isTrue();
            JsonNode d = n.get("data");
            for (String k : List.of("ask1", "bid1", "fairPrice", "fundingRate", "high24Price", "indexPrice", "lastPrice",
                    "lower24Price", "maxBidPrice", "minAskPrice", "riseFallRate", "riseFallValue", "amount24")) {
                assertThat(d.get(k).isNumber()).as(k).isTrue();
            }
            for (String k : List.of("timestamp", "holdVol", "volume24")) {
                assertThat(d.get(k).isIntegralNumber()).as(k).isTrue();
            }
            if (d.has("contractId")) {
                assertThat(d.get("contractId").isIntegralNumber()).isTrue();
            }
            assertThat(d.get("symbol").asText()).isEqualTo("ETH_USDT");
            assertThat(d.get("zone").isTextual()).isTrue();
            assertThat(d.get("riseFallRates").isArray() || d.get("riseFallRates").isObject()).isTrue();
            assertThat(d.get("riseFallRatesOfTimezone").isArray()).isTrue();
            assertThat(d.get("timestamp").asLong()).isLessThanOrEqualTo(ts);
            BigDecimal last = d.get("lastPrice").decimalValue();
            assertThat(last).isBetween(new BigDecimal("2000"), new BigDecimal("4000"));
            symbolFirst += m.text().startsWith("{\"symbol\"") ? 1 : 0;
        }
        assertThat(symbolFirst).as("some envelopes start with symbol").isPositive();
        assertThat(symbolFirst).as("not all").isLessThan(frames.size());
    }

    @Test
    void dealPushIsAnArrayOfTypedItems() throws Exception {
        ExchangeSimulator sim = start(ExchangeSimulator.builder().rates(0, 50, 0));
        SimClient c = client(sim);
        c.sub("sub.deal", "BTC_USDT");
        List<SimClient.Msg> frames = c.collect("push.deal", 50, T);
        assertThat(frames).hasSize(50);
        int stringIds = 0;
        for (SimClient.Msg m : frames) {
            JsonNode n = m.json();
            long ts = n.get("ts").asLong();
            JsonNode d = n.get("data");
            assertThat(d.isArray()).isTrue();
            assertThat(d.size()).isPositive();
            for (JsonNode it : d) {
                assertThat(it.get("p").isNumber()).isTrue();
                assertThat(it.get("p").decimalValue()).isBetween(new BigDecimal("60000"), new BigDecimal("120000"));
                assertThat(it.get("v").isIntegralNumber()).isTrue();
                assertThat(it.get("T").asInt()).isIn(1, 2);
                assertThat(it.get("O").isIntegralNumber()).isTrue();
                assertThat(it.get("M").isIntegralNumber()).isTrue();
                assertThat(it.get("t").isIntegralNumber()).isTrue();
                assertThat(it.get("t").asLong()).isLessThanOrEqualTo(ts);
                if (it.has("i")) {
                    assertThat(it.get("i").isIntegralNumber() || it.get("i").asText().matches("\\d+")).isTrue();
                    stringIds += it.get("i").isTextual() ? 1 : 0;
                }
                if (it.has("cts")) {
                    assertThat(it.get("cts").isIntegralNumber() || it.get("cts").asText().matches("\\d+")).isTrue();
                }
            }
        }
        assertThat(stringIds).isPositive();
    }

    @Test
    void depthPushHasLimitLevelsBestFirstAndIncreasingVersions() throws Exception {
        ExchangeSimulator sim = start(ExchangeSimulator.builder().rates(0, 0, 40).emptyDepthSideProbability(0));
        for (Integer limit : new Integer[] {5, 10, null}) {
            SimClient c = client(sim, limit == null ? "127.0.0.1" : "127.0.0." + (limit + 1));
            c.send("{\"method\":\"sub.depth.full\",\"param\":{\"symbol\":\"SOL_USDT\""
                    + (limit == null ? "" : ",\"limit\":" + limit) + "}}");
            assertThat(c.awaitChannel("rs.sub.depth.full", T)).isNotNull();
            List<SimClient.Msg> frames = c.collect("push.depth.full", 20, T);
            assertThat(frames).hasSize(20);
            long lastVersion = 0;
            int expected = limit == null ? 20 : limit;
            for (SimClient.Msg m : frames) {
                JsonNode n = m.json();
                JsonNode d = n.get("data");
                assertThat(d.get("version").isIntegralNumber()).isTrue();
                assertThat(d.get("version").asLong()).isGreaterThan(lastVersion);
                lastVersion = d.get("version").asLong();
                assertThat(d.get("cts").isIntegralNumber()).isTrue();
                assertThat(d.get("cts").asLong()).isLessThanOrEqualTo(n.get("ts").asLong());
                assertThat(d.get("bids").size()).isEqualTo(expected);
                assertThat(d.get("asks").size()).isEqualTo(expected);
                FrameShapeTest.assertOrdered(d.get("bids"), -1);
                FrameShapeTest.assertOrdered(d.get("asks"), +1);
                assertThat(d.get("bids").get(0).get(0).decimalValue()).isLessThan(d.get("asks").get(0).get(0).decimalValue());
                assertThat(d.get("bids").get(0).get(0).decimalValue()).isBetween(new BigDecimal("100"), new BigDecimal("200"));
            }
        }
    }

    @Test
    void pingTimeoutClosesSilentClientsOnly() throws Exception {
        ExchangeSimulator sim = start(ExchangeSimulator.builder().pingTimeout(Duration.ofMillis(1500)).rates(5, 20, 0));
        SimClient silent = client(sim);
        SimClient pinger = client(sim);
        silent.sub("sub.deal", "BTC_USDT");   // data flowing does not count as a ping
        pinger.sub("sub.deal", "BTC_USDT");
        long start = System.nanoTime();
        while (System.nanoTime() - start < Duration.ofMillis(3000).toNanos()) {
            pinger.ping();
            Thread.sleep(300);
        }
        assertThat(silent.awaitClosed(Duration.ofSeconds(2))).isTrue();
        List<SimClient.Msg> got = new ArrayList<>(silent.all);
        assertThat(got).anyMatch(m -> "push.deal".equals(m.channel()));
        SimClient.Msg last = got.get(got.size() - 1);
        assertThat(last.channel()).isEqualTo("rs.error");
        assertThat(last.json().get("data").asText()).isEqualTo(ExchangeSimulator.PING_TIMEOUT_TEXT);
        assertThat(silent.closedByRemote).isTrue();

        assertThat(pinger.isOpen()).isTrue();
        assertThat(pinger.all).noneMatch(m -> "rs.error".equals(m.channel()));
        SimSnapshot snap = sim.snapshot();
        ConnectionRecord s = snap.connections().get(0);
        assertThat(s.isOpen()).isFalse();
        assertThat(s.serverCloseCause()).isEqualTo("ping-timeout");
        assertThat(s.errorsSent()).containsExactly(ExchangeSimulator.PING_TIMEOUT_TEXT);
        assertThat(Duration.between(s.connectedAt(), s.closedAt()).toMillis()).isBetween(1400L, 2600L);
        assertThat(snap.connections().get(1).pingsReceived()).isGreaterThanOrEqualTo(9);
    }

    @Test
    void oneDepthSubscriptionPerSourceIp() throws Exception {
        ExchangeSimulator sim = start(ExchangeSimulator.builder().rates(0, 0, 20));
        SimClient first = client(sim);
        first.sub("sub.depth.full", "BTC_USDT");
        assertThat(first.awaitChannel("rs.sub.depth.full", T)).isNotNull();
        first.sub("sub.depth.full", "ETH_USDT"); // a second symbol on the same connection is fine
        assertThat(first.awaitChannel("rs.sub.depth.full", T)).isNotNull();

        SimClient second = client(sim);
        second.sub("sub.ticker", "ETH_USDT");
        assertThat(second.awaitChannel("rs.sub.ticker", T)).isNotNull();
        second.sub("sub.depth.full", "ETH_USDT");
        SimClient.Msg err = second.awaitChannel("rs.error", T);
        assertThat(err.json().get("data").asText()).isEqualTo(ExchangeSimulator.DEPTH_LIMIT_TEXT);

        SimClient other = client(sim, "127.0.0.2"); // another source IP
        other.sub("sub.depth.full", "ETH_USDT");
        assertThat(other.awaitChannel("rs.sub.depth.full", T)).isNotNull();
        assertThat(other.awaitChannel("push.depth.full", T)).isNotNull();

        Thread.sleep(500);
        assertThat(first.frames("push.depth.full")).isPositive();
        assertThat(second.frames("push.depth.full")).isZero();
        SimSnapshot snap = sim.snapshot();
        assertThat(snap.depthRefusals()).singleElement().satisfies(r -> {
            assertThat(r.ip()).isEqualTo("127.0.0.1");
            assertThat(r.connectionId()).isEqualTo(2);
            assertThat(r.holderConnectionId()).isEqualTo(1);
            assertThat(r.symbol()).isEqualTo("ETH_USDT");
        });
        assertThat(snap.connection(2).orElseThrow().subscriptions().get(1).refusal()).isEqualTo(ExchangeSimulator.DEPTH_LIMIT_TEXT);
        assertThat(snap.connection(2).orElseThrow().pushed("ETH_USDT", Channel.DEPTH)).isEqualTo(StreamCount.ZERO);
        assertThat(snap.from("127.0.0.2")).hasSize(1);

        // when the holder closes, the IP's slot is free again
        first.closeBlocking();
        assertThat(sim.awaitOpenConnections(2, T)).isTrue();
        second.sub("sub.depth.full", "ETH_USDT");
        assertThat(second.awaitChannel("rs.sub.depth.full", T)).isNotNull();
        assertThat(second.awaitChannel("push.depth.full", T)).isNotNull();

        // with the rule off, a second connection from the same IP is accepted
        sim.setDepthPerIpLimit(false);
        SimClient third = client(sim);
        third.sub("sub.depth.full", "BTC_USDT");
        assertThat(third.awaitChannel("rs.sub.depth.full", T)).isNotNull();
        assertThat(third.awaitChannel("push.depth.full", T)).isNotNull();
        assertThat(sim.snapshot().depthRefusals()).hasSize(1);
    }

    @Test
    void anyPathIsAccepted() throws Exception {
        ExchangeSimulator sim = start(ExchangeSimulator.builder());
        SimClient c = SimClient.connect(sim.uri().resolve("/other/path"));
        closeables.add(0, c::closeBlocking);
        c.sub("sub.ticker", "BTC_USDT");
        assertThat(c.awaitChannel("rs.sub.ticker", T)).isNotNull();
        assertThat(sim.snapshot().connections().get(0).path()).isEqualTo("/other/path");
    }

    @Test
    void ruleOffFromTheStart() throws Exception {
        ExchangeSimulator sim = start(ExchangeSimulator.builder().depthPerIpLimit(false).rates(0, 0, 20));
        SimClient a = client(sim);
        SimClient b = client(sim);
        a.sub("sub.depth.full", "BTC_USDT");
        b.sub("sub.depth.full", "BTC_USDT");
        assertThat(a.awaitChannel("push.depth.full", T)).isNotNull();
        assertThat(b.awaitChannel("push.depth.full", T)).isNotNull();
        assertThat(b.all).noneMatch(m -> "rs.error".equals(m.channel()));
    }

    @Test
    void gzipBinaryFramesOnRequestOrForced() throws Exception {
        ExchangeSimulator sim = start(ExchangeSimulator.builder().rates(20, 20, 20));
        SimClient c = client(sim);
        c.send("{\"method\":\"sub.deal\",\"param\":{\"symbol\":\"BTC_USDT\"},\"gzip\":true}");
        SimClient.Msg ack = c.awaitChannel("rs.sub.deal", T);
        assertThat(ack.binary()).isFalse();
        SimClient.Msg push = c.awaitChannel("push.deal", T);
        assertThat(push.binary()).isTrue();
        assertThat(push.gzip()).isTrue();
        assertThat(push.json().get("data").isArray()).isTrue();
        assertThat(sim.snapshot().connections().get(0).gzip()).isTrue();

        SimClient plain = client(sim, "127.0.0.2");
        plain.send("{\"method\":\"sub.deal\",\"param\":{\"symbol\":\"BTC_USDT\"},\"gzip\":false}");
        assertThat(plain.awaitChannel("push.deal", T).binary()).isFalse();

        ExchangeSimulator forced = start(ExchangeSimulator.builder().forceGzip(true).rates(20, 20, 20));
        SimClient f = client(forced);
        f.sub("sub.depth.full", "ETH_USDT");
        SimClient.Msg depth = f.awaitChannel("push.depth.full", T);
        assertThat(depth.gzip()).isTrue();
        assertThat(depth.json().get("data").get("bids").isArray()).isTrue();
    }

    @Test
    void unsubscribeStopsPushes() throws Exception {
        ExchangeSimulator sim = start(ExchangeSimulator.builder().rates(0, 50, 0));
        SimClient c = client(sim);
        c.sub("sub.deal", "BTC_USDT");
        assertThat(c.awaitChannel("push.deal", T)).isNotNull();
        c.sub("unsub.deal", "BTC_USDT");
        assertThat(c.awaitChannel("rs.unsub.deal", T)).isNotNull();
        long n = c.frames("push.deal");
        Thread.sleep(300);
        assertThat(c.frames("push.deal")).isEqualTo(n);
    }
}
