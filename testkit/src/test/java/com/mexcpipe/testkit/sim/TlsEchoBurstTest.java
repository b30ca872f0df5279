package com.mexcpipe.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** wss with the runtime test certificate, the IP-echo and control endpoints, a burst rate, zero-loss accounting. */
class TlsEchoBurstTest {
    private static final Duration T = Duration.ofSeconds(10);
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ExchangeSimulator start(SimulatorBuilder b) {
        ExchangeSimulator sim = b.seed(3).start();
        closeables.add(sim);
        return sim;
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    @Test
    void wssWithTheTestCertificate() throws Exception {
        TestTls tls = TestTls.shared();
        assertThat(tls.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----\n");
        assertThat(tls.certificate().getSubjectAlternativeNames()).extracting(l -> l.get(1).toString())
                .contains("localhost", "127.0.0.1");
        ExchangeSimulator sim = start(ExchangeSimulator.builder().tls(tls).rates(0, 20, 20));
        assertThat(sim.uri().toString()).startsWith("wss://localhost:");
        SimClient c = SimClient.connect(sim.uri(), tls.clientContext(), null);
        closeables.add(0, c::closeBlocking);
        c.sub("sub.deal", "BTC_USDT");
        c.sub("sub.depth.full", "BTC_USDT");
        assertThat(c.awaitChannel("push.deal", T)).isNotNull();
        assertThat(c.awaitChannel("push.depth.full", T)).isNotNull();
        c.ping();
        assertThat(c.awaitChannel("pong", T)).isNotNull();
        sim.dropAll(DropMode.RESET);
        assertThat(c.awaitClosed(T)).isTrue();

        // a client without the test trust refuses the certificate
        assertThatThrownBy(() -> SimClient.connect(sim.uri(), null, null)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void ipEchoAnswersTheCallersAddress() throws Exception {
        ExchangeSimulator sim = start(ExchangeSimulator.builder());
        URI echo = sim.ipEchoUri();
        assertThat(echo.toString()).startsWith("http://127.0.0.1:").endsWith("/ip");
        HttpResponse<String> text = http.send(HttpRequest.newBuilder(echo).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.body()).isEqualTo("127.0.0.1");
        HttpResponse<String> json = http.send(HttpRequest.newBuilder(URI.create(echo + "?format=json")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(json.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json.body()).isEqualTo("{\"ip\":\"127.0.0.1\"}");
        assertThat(rawGetFrom("127.0.0.3", echo.getPort(), "/ip?format=json")).endsWith("{\"ip\":\"127.0.0.3\"}");
        assertThat(rawGetFrom("127.0.0.3", echo.getPort(), "/nope")).startsWith("HTTP/1.1 404");
        assertThat(sim.snapshot().ipEchoRequests()).isEqualTo(3);
    }

    /** A GET sent from a chosen loopback source address (HttpClient cannot bind one). */
    private static String rawGetFrom(String localIp, int port, String path) throws Exception {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(localIp, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void controlEndpoints() throws Exception {
        ExchangeSimulator sim = start(ExchangeSimulator.builder().controlEndpoints(true).rates(0, 20, 0));
        SimClient c = SimClient.connect(sim.uri());
        closeables.add(0, c::closeBlocking);
        c.sub("sub.deal", "BTC_USDT");
        assertThat(c.awaitChannel("push.deal", T)).isNotNull();
        URI base = sim.ipEchoUri().resolve("/sim/");
        HttpResponse<String> snap = http.send(HttpRequest.newBuilder(base.resolve("snapshot")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode n = SimClient.MAPPER.readTree(snap.body());
        assertThat(n.get("connections").get(0).get("subscriptions").get(0).get("method").asText()).isEqualTo("sub.deal");
        assertThat(post(base.resolve("rate?channel=deal&value=0"))).contains("DEAL rate 0.0");
        assertThat(post(base.resolve("malformed?count=2&kind=incremental_depth"))).isEqualTo("sent 2\n");
        assertThat(c.collect("push.depth", 2, T)).hasSize(2);
        assertThat(post(base.resolve("drop?mode=no_close_frame"))).isEqualTo("dropped 1\n");
        assertThat(c.awaitClosed(T)).isTrue();
        assertThat(http.send(HttpRequest.newBuilder(base.resolve("drop")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(405);
    }

    private String post(URI u) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(u).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    @Test
    void burstOfFiveThousandFramesPerSecondArrivesComplete() throws Exception {
        burst(List.of("BTC_USDT"), 1000, 2500, 1500, 10_000);
    }

    @Test
    void burstOfTwentyThousandFramesPerSecondOverThreeSymbols() throws Exception {
        burst(List.of("BTC_USDT", "ETH_USDT", "SOL_USDT"), 2000, 2500, 2167, 20_000);
    }

    /**
     * Pushes at the given rates per symbol until the server has sent {@code frames} frames, then pauses and checks that
     * the client received exactly what the server recorded (counts, not timing: the rate achieved is only printed).
     */
    private void burst(List<String> symbols, double ticker, double deal, double depth, long frames) throws Exception {
        ExchangeSimulator sim = start(ExchangeSimulator.builder().rates(0, 0, 0).frameLogOff().depthPerIpLimit(false));
        SimClient c = SimClient.connect(sim.uri());
        closeables.add(0, c::closeBlocking);
        c.keep = false; // count only
        for (String s : symbols) {
            c.sub("sub.ticker", s);
            c.sub("sub.deal", s);
            c.sub("sub.depth.full", s);
        }
        while (c.frames.get() < 3L * symbols.size()) {
            Thread.sleep(10); // the acks
        }
        sim.setRates(ticker, deal, depth);
        long t0 = System.nanoTime();
        long deadline = t0 + Duration.ofSeconds(30).toNanos();
        while (sim.snapshot().framesPushed() < frames && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        sim.pausePushes();
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(sim.awaitDrained(T)).isTrue();
        Thread.sleep(50); // a tick in flight when paused
        ConnectionRecord r = sim.snapshot().connections().get(0);
        long sent = r.framesPushed();
        long until = System.nanoTime() + T.toNanos();
        while (c.frames.get() < sent + 3L * symbols.size() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        System.out.printf("burst: %d frames in %.2f s (%.0f frames/s over %d symbols), client got %d%n", sent, seconds,
                sent / seconds, symbols.size(), c.frames.get() - 3L * symbols.size());
        assertThat(sent).isGreaterThanOrEqualTo(frames);
        assertThat(r.framesSkipped()).isZero();
        assertThat(c.frames("push.ticker")).isEqualTo(r.framesPushed(Channel.TICKER));
        assertThat(c.frames("push.deal")).isEqualTo(r.framesPushed(Channel.DEAL));
        assertThat(c.frames("push.depth.full")).isEqualTo(r.framesPushed(Channel.DEPTH));
        assertThat(c.events("push.deal")).isEqualTo(symbols.stream().mapToLong(x -> r.eventsPushed(x, Channel.DEAL)).sum());
        for (String s : symbols) {
            for (Channel ch : Channel.values()) {
                assertThat(r.pushed(s, ch).frames()).as(s + " " + ch).isPositive();
            }
        }
    }

    @Test
    void fullFrameLogMatchesWhatTheClientReceived() throws Exception {
        ExchangeSimulator sim = start(ExchangeSimulator.builder().frameLogFull().rates(20, 50, 20));
        SimClient c = SimClient.connect(sim.uri());
        closeables.add(0, c::closeBlocking);
        c.send("{\"method\":\"sub.deal\",\"param\":{\"symbol\":\"SOL_USDT\"},\"gzip\":true}");
        c.sub("sub.ticker", "SOL_USDT");
        c.sub("sub.depth.full", "SOL_USDT");
        Thread.sleep(1000);
        sim.pausePushes();
        assertThat(sim.awaitDrained(T)).isTrue();
        List<PushedFrame> log = sim.frames();
        long until = System.nanoTime() + T.toNanos();
        while (c.frames("push.ticker") + c.frames("push.deal") + c.frames("push.depth.full") < log.size()
                && System.nanoTime() < until) {
            Thread.sleep(20); // drained means handed to the kernel; the client may still be reading
        }
        List<String> received = c.all.stream().filter(m -> m.channel() != null && m.channel().startsWith("push."))
                .map(SimClient.Msg::text).toList();
        assertThat(log).isNotEmpty();
        assertThat(received).containsExactlyElementsOf(log.stream().map(PushedFrame::text).toList());
        // "gzip":true on any request switches the whole connection to gzip binary pushes
        assertThat(log).allMatch(PushedFrame::binary);
        assertThat(c.all).filteredOn(m -> m.channel() != null && m.channel().startsWith("push.")).allMatch(SimClient.Msg::gzip);
        long dealEvents = log.stream().filter(f -> f.channel() == Channel.DEAL).mapToLong(PushedFrame::events).sum();
        assertThat(sim.snapshot().eventsPushed("SOL_USDT", Channel.DEAL)).isEqualTo(dealEvents).isPositive();
        assertThat(sim.framesEvicted()).isZero();
        sim.clearRecords();
        assertThat(sim.frames()).isEmpty();
        assertThat(sim.snapshot().connections()).hasSize(1);
    }
}
