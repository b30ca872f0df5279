package com.mexcpipe.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.java_websocket.framing.CloseFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every fault the simulator can inject, seen from a plain client. */
class FaultInjectionTest {
    private static final Duration T = Duration.ofSeconds(5);
    private final List<AutoCloseable> closeables = new ArrayList<>();

    private ExchangeSimulator start(SimulatorBuilder b) {
        ExchangeSimulator sim = b.seed(11).start();
        closeables.add(sim);
        return sim;
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

    @Test
    void dropAllInThreeWays() throws Exception {
        ExchangeSimulator sim = start(ExchangeSimulator.builder().rates(10, 50, 10));
        for (DropMode mode : DropMode.values()) {
            SimClient a = client(sim, "127.0.0.1");
            SimClient b = client(sim, "127.0.0.2");
            a.sub("sub.deal", "BTC_USDT");
            b.sub("sub.depth.full", "BTC_USDT");
            assertThat(a.awaitChannel("push.deal", T)).isNotNull();
            assertThat(b.awaitChannel("push.depth.full", T)).isNotNull();
            assertThat(sim.dropAll(mode)).isEqualTo(2);
            assertThat(a.awaitClosed(T)).as(mode.toString()).isTrue();
            assertThat(b.awaitClosed(T)).as(mode.toString()).isTrue();
            if (mode == DropMode.CLOSE_FRAME) {
                assertThat(a.closeCode).isEqualTo(CloseFrame.GOING_AWAY);
                assertThat(a.closedByRemote).isTrue();
            } else {
                assertThat(a.closeCode).as(mode + " has no close frame").isEqualTo(CloseFrame.ABNORMAL_CLOSE);
                assertThat(b.closeCode).isEqualTo(CloseFrame.ABNORMAL_CLOSE);
            }
            assertThat(sim.awaitOpenConnections(0, T)).isTrue();
        }
        SimSnapshot snap = sim.snapshot();
        assertThat(snap.connections()).hasSize(6).noneMatch(ConnectionRecord::isOpen);
        assertThat(snap.connections()).extracting(ConnectionRecord::serverCloseCause).containsExactly(
                "drop:CLOSE_FRAME", "drop:CLOSE_FRAME", "drop:NO_CLOSE_FRAME", "drop:NO_CLOSE_FRAME", "drop:RESET",
                "drop:RESET");
        // the depth slot of a dropped connection is free again
        SimClient again = client(sim, "127.0.0.2");
        again.sub("sub.depth.full", "BTC_USDT");
        assertThat(again.awaitChannel("rs.sub.depth.full", T)).isNotNull();
        assertThat(sim.drop(snap.connections().get(0).id(), DropMode.RESET)).isFalse();
    }

    @Test
    void closeFrameDropDoesNotWaitForTheClientsReply() throws Exception {
        ExchangeSimulator sim = start(ExchangeSimulator.builder());
        try (Socket raw = new Socket("127.0.0.1", sim.port())) {
            raw.setSoTimeout(8000);
            raw.getOutputStream().write(("GET /edge HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = raw.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.read());
            }
            assertThat(head.toString()).startsWith("HTTP/1.1 101");
            assertThat(sim.awaitOpenConnections(1, T)).isTrue();
            long t0 = System.nanoTime();
            sim.dropAll(DropMode.CLOSE_FRAME);
            assertThat(in.read()).as("close frame opcode").isEqualTo(0x88);
            while (in.read() >= 0) {
                // the close frame's payload, then EOF: the server closes TCP right after its close frame
            }
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2000L);
        }
        assertThat(sim.awaitOpenConnections(0, T)).isTrue();
        assertThat(sim.snapshot().connections().get(0).closeCode()).isEqualTo(CloseFrame.GOING_AWAY);
    }

    @Test
    void stallSilencesPushesAndPongsThenCatchesUp() throws Exception {
        ExchangeSimulator sim = start(ExchangeSimulator.builder().rates(10, 50, 10));
        SimClient c = client(sim, null);
        c.sub("sub.deal", "BTC_USDT");
        assertThat(c.awaitChannel("push.deal", T)).isNotNull();
        c.ping();
        assertThat(c.awaitChannel("pong", T)).isNotNull();
        sim.setPingTimeout(Duration.ofMillis(2000)); // shorter than the stall: only the queued pings keep it open

        sim.stall(Duration.ofMillis(3000)); // long enough that a loaded CI machine still checks inside it
        assertThat(sim.isStalled()).isTrue();
        Thread.sleep(50);
        long frames = c.frames.get();
        long t0 = System.currentTimeMillis();
        c.ping();
        Thread.sleep(600);
        c.ping();
        Thread.sleep(600);
        assertThat(c.frames.get()).as("nothing at all during the stall").isEqualTo(frames);
        assertThat(c.isOpen()).isTrue();
        SimClient.Msg pong = c.awaitChannel("pong", T);
        assertThat(pong).isNotNull();
        assertThat(pong.receivedAt() - t0).isGreaterThanOrEqualTo(2800);
        assertThat(c.awaitChannel("pong", T)).isNotNull(); // both queued pings answered after the stall
        assertThat(c.awaitChannel("push.deal", T)).isNotNull();
        assertThat(sim.isStalled()).isFalse();
        assertThat(c.isOpen()).as("queued pings count: no ping timeout").isTrue();

        c.ping(); // keeps the 2 s ping timeout away from the second stall
        assertThat(c.awaitChannel("pong", T)).isNotNull();
        sim.stall();
        Thread.sleep(50);
        long f2 = c.frames.get();
        Thread.sleep(300);
        assertThat(c.frames.get()).isEqualTo(f2);
        sim.resume();
        assertThat(c.awaitChannel("push.deal", T)).isNotNull();
    }

    @Test
    void malformedFramesOfEveryKind() throws Exception {
        ExchangeSimulator sim = start(ExchangeSimulator.builder().rates(0, 0, 0));
        SimClient c = client(sim, null);
        c.sub("sub.deal", "ETH_USDT");
        assertThat(c.awaitChannel("rs.sub.deal", T)).isNotNull();
        c.inbox.clear();
        int n = MalformedKind.values().length;
        assertThat(sim.sendMalformed(n)).isEqualTo(n);
        List<SimClient.Msg> got = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SimClient.Msg m = c.await(x -> true, T);
            assertThat(m).isNotNull();
            got.add(m);
        }
        assertThat(got.get(0).json()).as("truncated JSON does not parse: " + got.get(0).text()).isNull();
        assertThat(got.get(1).json() == null || !got.get(1).json().isObject()).as("garbage").isTrue();
        assertThat(got.get(2).json().get("channel").asText()).isIn("push.deal", "push.ticker", "push.depth.full");
        assertThat(got.get(3).channel()).isEqualTo("push.kline");
        assertThat(got.get(4).channel()).isEqualTo("push.depth");
        assertThat(got.get(5).binary()).isTrue();
        assertThat(got.get(5).gzip()).isFalse();
        assertThat(c.isOpen()).isTrue();

        ConnectionRecord r = sim.snapshot().connections().get(0);
        assertThat(r.malformedSent()).isEqualTo(n);
        assertThat(r.framesPushed()).isZero();
        List<PushedFrame> logged = sim.frames(r.id());
        assertThat(logged).extracting(PushedFrame::malformed).containsExactly(MalformedKind.values());
        assertThat(logged.get(3).text()).isEqualTo(got.get(3).text());
        assertThat(logged.get(3).symbol()).isEqualTo("ETH_USDT");

        assertThat(sim.sendMalformed(3, MalformedKind.UNKNOWN_CHANNEL)).isEqualTo(3);
        assertThat(c.collect("push.kline", 3, T)).hasSize(3);
    }

    @Test
    void pauseResumeAndRuntimeRates() throws Exception {
        ExchangeSimulator sim = start(ExchangeSimulator.builder().rates(0, 100, 0));
        SimClient c = client(sim, null);
        c.sub("sub.deal", "BTC_USDT");
        c.sub("sub.ticker", "BTC_USDT");
        assertThat(c.awaitChannel("push.deal", T)).isNotNull();

        sim.pausePushes();
        assertThat(sim.awaitDrained(T)).isTrue();
        Thread.sleep(100);
        long n = c.frames("push.deal");
        c.ping();
        assertThat(c.awaitChannel("pong", T)).as("pongs still answered while paused").isNotNull();
        Thread.sleep(300);
        assertThat(c.frames("push.deal")).isEqualTo(n);
        sim.resumePushes();
        assertThat(c.awaitChannel("push.deal", T)).isNotNull();

        sim.setRate(Channel.DEAL, 0);
        sim.setRate(Channel.TICKER, 200);
        Thread.sleep(100);
        long deals = c.frames("push.deal");
        long tickers = c.frames("push.ticker");
        Thread.sleep(500);
        assertThat(c.frames("push.deal")).isEqualTo(deals);
        assertThat(c.frames("push.ticker") - tickers).isBetween(40L, 160L);
        assertThat(sim.rate(Channel.TICKER)).isEqualTo(200.0);
    }
}
