package com.mexcpipe.testkit.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mexcpipe.client.ClientRuntime;
import com.mexcpipe.client.codec.FrameKind;
import com.mexcpipe.client.transport.ExchangeSession;
import com.mexcpipe.common.Json;
import com.mexcpipe.common.Row;
import com.mexcpipe.common.RowType;
import com.mexcpipe.testkit.sim.Channel;
import com.mexcpipe.testkit.sim.ConnectionRecord;
import com.mexcpipe.testkit.sim.DropMode;
import com.mexcpipe.testkit.sim.ExchangeSimulator;
import com.mexcpipe.testkit.sim.MalformedKind;
import com.mexcpipe.testkit.sim.PushedFrame;
import com.mexcpipe.testkit.sim.SimSnapshot;
import com.mexcpipe.testkit.sim.SimulatorBuilder;
import com.mexcpipe.testkit.sim.SubscriptionRecord;
import com.mexcpipe.testkit.store.MemoryRowStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(90)
class ClientAgainstSimulatorTest {
    @TempDir
    Path dir;

    static final String SYM = "BTC_USDT";

    SimulatorBuilder sim() {
        return ExchangeSimulator.builder().rates(5, 20, 20).frameLogFull().seed(7);
    }

    static List<Row> decodeAll(List<PushedFrame> frames) {
        return com.mexcpipe.testkit.sim.PushedFrames.expectedRows(frames, SYM);
    }

    static JsonNode get(ClientRuntime rt, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + rt.httpPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
        return path.equals("/status") ? Json.MAPPER.readTree(r.body()) : Json.MAPPER.getNodeFactory().textNode(r.statusCode() + " " + r.body());
    }

    @Test
    void everyPushedEventIsStoredExactlyAsDecodedAndAllThreeChannelsAreLive() throws Exception {
        MemoryRowStore store = MemoryRowStore.keeping();
        try (ExchangeSimulator sim = sim().build().start();
                ClientRuntime rt = ClientHarness.start(ClientHarness.testEnv(SYM, sim.uri().toString(), dir), store)) {
            await().atMost(20, TimeUnit.SECONDS).until(() -> rt.session().stats().depthLiveAt() > 0
                    && rt.session().stats().dealLiveAt() > 0 && rt.session().stats().tickerLiveAt() > 0);
            Thread.sleep(2000);
            sim.pausePushes();
            assertThat(sim.awaitDrained(Duration.ofSeconds(10))).isTrue();
            List<Row> expected = decodeAll(sim.frames());
            await().atMost(10, TimeUnit.SECONDS).until(() -> store.count() == expected.size());
            assertThat(store.rows()).containsExactlyElementsOf(expected);
            SimSnapshot snap = sim.snapshot();
            assertThat(expected.stream().filter(r -> r.mt() == RowType.DEAL).count())
                    .isEqualTo(snap.eventsPushed(SYM, Channel.DEAL));
            assertThat(expected.stream().filter(r -> r.mt() == RowType.DEPTH).count())
                    .isEqualTo(snap.eventsPushed(SYM, Channel.DEPTH));
            assertThat(expected.stream().filter(r -> r.mt() == RowType.TICKER).count())
                    .isEqualTo(snap.eventsPushed(SYM, Channel.TICKER)).isPositive();
            assertThat(expected).noneMatch(r -> r.mt() == RowType.RAW);
            ConnectionRecord c = snap.connections().get(0);
            assertThat(c.subscriptions()).extracting(SubscriptionRecord::method, SubscriptionRecord::symbol,
                    SubscriptionRecord::accepted).containsExactly(
                            org.assertj.core.groups.Tuple.tuple("sub.ticker", SYM, true),
                            org.assertj.core.groups.Tuple.tuple("sub.deal", SYM, true),
                            org.assertj.core.groups.Tuple.tuple("sub.depth.full", SYM, true));
            assertThat(c.subscriptions().get(2).limit()).isEqualTo(20);
            assertThat(rt.session().stats().frames(FrameKind.ACK)).isEqualTo(3);

            JsonNode status = get(rt, "/status");
            assertThat(status.get("symbol").asText()).isEqualTo(SYM);
            assertThat(status.get("state").asText()).isEqualTo("connected");
            assertThat(status.get("rows").get("stored").get("dp").asLong())
                    .isEqualTo(snap.eventsPushed(SYM, Channel.DEPTH));
            assertThat(status.get("subscriptionsLiveSince").get("depth.full").isTextual()).isTrue();
            assertThat(get(rt, "/health").asText()).startsWith("200 ok");
            String metrics = get(rt, "/metrics").asText();
            assertThat(metrics).contains("mexc_rows_stored_total{mt=\"dp\",symbol=\"BTC_USDT\"} "
                    + snap.eventsPushed(SYM, Channel.DEPTH));
        }
    }

    @ParameterizedTest
    @EnumSource(DropMode.class)
    void aDroppedConnectionIsReopenedAndResubscribed(DropMode mode) throws Exception {
        MemoryRowStore store = MemoryRowStore.keeping();
        try (ExchangeSimulator sim = sim().build().start();
                ClientRuntime rt = ClientHarness.start(ClientHarness.testEnv(SYM, sim.uri().toString(), dir), store)) {
            await().atMost(20, TimeUnit.SECONDS).until(() -> rt.session().stats().depthLiveAt() > 0);
            sim.dropAll(mode);
            await().atMost(20, TimeUnit.SECONDS).until(() -> rt.session().stats().reconnects() == 1
                    && rt.session().stats().depthLiveAt() > 0 && rt.session().state() == ExchangeSession.State.CONNECTED);
            long before = store.count();
            await().atMost(10, TimeUnit.SECONDS).until(() -> store.count() > before + 5);
            SimSnapshot snap = sim.snapshot();
            assertThat(snap.connections()).hasSize(2);
            assertThat(snap.connections().get(1).subscriptions()).extracting(SubscriptionRecord::method)
                    .containsExactly("sub.ticker", "sub.deal", "sub.depth.full");
            assertThat(snap.connections().get(1).subscriptions()).allMatch(SubscriptionRecord::accepted);
        }
    }

    @Test
    void aStalledConnectionIsDeclaredDeadAndReplaced() throws Exception {
        MemoryRowStore store = MemoryRowStore.keeping();
        try (ExchangeSimulator sim = sim().build().start();
                ClientRuntime rt = ClientHarness.start(ClientHarness.with(
                        ClientHarness.testEnv(SYM, sim.uri().toString(), dir), "SILENCE_TIMEOUT_MS", "1500"), store)) {
            await().atMost(20, TimeUnit.SECONDS).until(() -> rt.session().stats().depthLiveAt() > 0);
            sim.stall(Duration.ofMillis(2500));
            await().atMost(20, TimeUnit.SECONDS).until(() -> rt.session().stats().silenceDrops() >= 1);
            await().atMost(20, TimeUnit.SECONDS).until(() -> rt.session().stats().depthLiveAt() > 0
                    && rt.session().state() == ExchangeSession.State.CONNECTED);
            long before = store.count();
            await().atMost(10, TimeUnit.SECONDS).until(() -> store.count() > before + 5);
            assertThat(sim.snapshot().connections().size()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void theClientPingsOftenEnoughThatTheExchangeNeverClosesForLackOfPings() throws Exception {
        // the simulator's rule shortened to 2 s; the client pings every 0.5 s whatever the traffic
        MemoryRowStore store = MemoryRowStore.keeping();
        try (ExchangeSimulator sim = sim().pingTimeout(Duration.ofSeconds(2)).build().start();
                ClientRuntime rt = ClientHarness.start(ClientHarness.with(
                        ClientHarness.testEnv(SYM, sim.uri().toString(), dir), "PING_INTERVAL_MS", "1000"), store)) {
            Thread.sleep(7000);
            SimSnapshot snap = sim.snapshot();
            assertThat(snap.connections()).hasSize(1);
            assertThat(snap.connections().get(0).isOpen()).isTrue();
            assertThat(snap.connections().get(0).pingsReceived()).isGreaterThanOrEqualTo(5);
            assertThat(store.rows()).noneMatch(r -> r.mt() == RowType.RAW);
            assertThat(rt.session().stats().frames(FrameKind.PONG)).isGreaterThanOrEqualTo(5);
        }
    }

    @Test
    void negativeControlAClientThatPingsTooRarelyIsClosedByTheRule() throws Exception {
        MemoryRowStore store = MemoryRowStore.keeping();
        try (ExchangeSimulator sim = sim().pingTimeout(Duration.ofSeconds(2)).build().start();
                ClientRuntime rt = ClientHarness.start(ClientHarness.with(
                        ClientHarness.testEnv(SYM, sim.uri().toString(), dir), "PING_INTERVAL_MS", "5000",
                        "SILENCE_TIMEOUT_MS", "30000"), store)) {
            await().atMost(15, TimeUnit.SECONDS).until(() -> sim.snapshot().connections().stream()
                    .anyMatch(c -> "ping-timeout".equals(c.serverCloseCause())));
            await().atMost(10, TimeUnit.SECONDS).until(() -> store.rows().stream().anyMatch(r -> r.mt() == RowType.RAW
                    && r.m().contains("more than 60 seconds no response")));
            assertThat(rt.session().stats().newCircuits()).as("a ping timeout is not a refusal").isZero();
        }
    }

    @Test
    void gzipBinaryFramesDecodeLikeText() throws Exception {
        MemoryRowStore store = MemoryRowStore.keeping();
        try (ExchangeSimulator sim = sim().forceGzip(true).build().start();
                ClientRuntime rt = ClientHarness.start(ClientHarness.testEnv(SYM, sim.uri().toString(), dir), store)) {
            await().atMost(20, TimeUnit.SECONDS).until(() -> rt.session().stats().depthLiveAt() > 0);
            Thread.sleep(1500);
            sim.pausePushes();
            assertThat(sim.awaitDrained(Duration.ofSeconds(10))).isTrue();
            List<Row> expected = decodeAll(sim.frames());
            await().atMost(10, TimeUnit.SECONDS).until(() -> store.count() == expected.size());
            assertThat(store.rows()).containsExactlyElementsOf(expected);
            assertThat(rt.session().stats().binaryFrames()).isGreaterThan(10);
            assertThat(sim.frames()).anyMatch(PushedFrame::binary);
        }
    }

    @Test
    void aBurstOfMalformedFramesBecomesDlRowsWithoutAReconnect() throws Exception {
        MemoryRowStore store = MemoryRowStore.keeping();
        try (ExchangeSimulator sim = sim().build().start();
                ClientRuntime rt = ClientHarness.start(ClientHarness.testEnv(SYM, sim.uri().toString(), dir), store)) {
            await().atMost(20, TimeUnit.SECONDS).until(() -> rt.session().stats().depthLiveAt() > 0);
            int sent = sim.sendMalformed(60);
            assertThat(sent).isEqualTo(60);
            await().atMost(10, TimeUnit.SECONDS).until(() -> store.rows().stream()
                    .filter(r -> r.mt() == RowType.RAW).count() == 60);
            List<String> malformedTexts = sim.frames().stream().filter(f -> f.malformed() != null)
                    .map(f -> f.malformed() == MalformedKind.BINARY_GARBAGE
                            ? java.util.Base64.getEncoder().encodeToString(f.text().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))
                            : f.text()).toList();
            assertThat(store.rows().stream().filter(r -> r.mt() == RowType.RAW).map(Row::m).toList())
                    .as("each dl row holds the complete raw frame").containsExactlyInAnyOrderElementsOf(malformedTexts);
            assertThat(rt.session().stats().reconnects()).isZero();
            assertThat(sim.snapshot().connections()).hasSize(1);
        }
    }

    @Test
    void anUnknownContractIsRefusedAndReportedAsDl() throws Exception {
        MemoryRowStore store = MemoryRowStore.keeping();
        try (ExchangeSimulator sim = sim().build().start();
                ClientRuntime rt = ClientHarness.start(ClientHarness.testEnv("NOPE_USDT", sim.uri().toString(), dir),
                        store)) {
            await().atMost(15, TimeUnit.SECONDS).until(() -> store.rows().stream()
                    .anyMatch(r -> r.mt() == RowType.RAW && r.m().contains("NOPE_USDT")));
            assertThat(rt.session().stats().lastExchangeError()).contains("NOPE_USDT");
            assertThat(rt.session().stats().newCircuits()).as("a refusal asks for a new circuit").isPositive();
        }
    }
}
