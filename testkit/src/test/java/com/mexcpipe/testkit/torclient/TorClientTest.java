package com.mexcpipe.testkit.torclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mexcpipe.client.ClientConfig;
import com.mexcpipe.client.tor.ExitMonitor;
import com.mexcpipe.client.tor.TorSupervisor;
import com.mexcpipe.common.control.ControlFolder;
import com.mexcpipe.common.control.Flags;
import com.mexcpipe.testkit.client.ClientHarness;
import com.mexcpipe.testkit.demo.ClientProcess;
import com.mexcpipe.testkit.sim.ExchangeSimulator;
import com.mexcpipe.testkit.store.MemoryRowStore;
import com.mexcpipe.testkit.tor.PrivateTorNetwork;
import com.mexcpipe.testkit.tor.TorAvailability;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The client's own tor against a real private Tor network: lifecycle, exit publication, a forced exit clash. */
@Tag("tor")
@Timeout(180)
class TorClientTest {
    static PrivateTorNetwork net;
    static ExchangeSimulator sim;
    /** One depth per IP off: the clash test exercises the exit-clash path, not the exchange's refusal. */
    static ExchangeSimulator lenientSim;

    @TempDir
    Path dir;

    @BeforeAll
    static void network() throws Exception {
        TorAvailability tor = TorAvailability.check();
        Assumptions.assumeTrue(tor.available(), tor.reason());
        net = PrivateTorNetwork.builder().exits(3).start();
        sim = ExchangeSimulator.builder().rates(2, 10, 10).build().start();
        lenientSim = ExchangeSimulator.builder().rates(2, 10, 10).depthPerIpLimit(false).build().start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (sim != null) {
            sim.close();
        }
        if (lenientSim != null) {
            lenientSim.close();
        }
        if (net != null) {
            net.close();
        }
    }

    Map<String, String> torEnv(String symbol, List<String> torrcLines) throws Exception {
        return torEnv(symbol, torrcLines, sim);
    }

    Map<String, String> torEnv(String symbol, List<String> torrcLines, ExchangeSimulator sim) throws Exception {
        Path extra = dir.resolve(symbol + ".torrc");
        Files.write(extra, torrcLines, StandardCharsets.UTF_8);
        return ClientHarness.with(ClientHarness.testEnv(symbol, sim.uri().toString(), dir),
                "TOR_ENABLED", "true", "TOR_PATH", "/usr/bin/tor",
                "TOR_DATA_DIR", dir.resolve("tor-" + symbol).toString(),
                "TOR_SOCKS_PORT", Integer.toString(ClientProcess.freePort()),
                "TOR_CONTROL_PORT", Integer.toString(ClientProcess.freePort()),
                "TOR_EXTRA_TORRC", extra.toString(),
                "TOR_BOOTSTRAP_TIMEOUT_S", "120",
                "IP_ECHO_URL", sim.ipEchoUri().toString(),
                "EXIT_CHECK_INTERVAL_S", "10",
                "CONNECT_TIMEOUT_MS", "20000",
                "SILENCE_TIMEOUT_MS", "15000");
    }

    @Test
    void torBootstrapsWithCookieAuthTakesNewnymAndIsRestartedWhenItDies() throws Exception {
        ClientConfig cfg = ClientHarness.config(torEnv("BTC_USDT", net.clientTorrcLines(0)));
        try (TorSupervisor tor = new TorSupervisor(cfg.tor(), "btc", Clock.systemUTC(), null).start()) {
            assertThat(tor.awaitReady(Duration.ofSeconds(90))).as("bootstrap 100% within 90 s").isTrue();
            TorSupervisor.View v = tor.view();
            assertThat(v.bootstrapPercent()).isEqualTo(100);
            assertThat(v.version()).as("read over the cookie-authenticated control port").startsWith("0.4.");
            assertThat(Files.readAllLines(cfg.tor().dataDir().resolve("torrc"))).contains(
                    "SocksPort 127.0.0.1:" + cfg.tor().socksPort() + " IsolateSOCKSAuth", "CookieAuthentication 1");
            tor.newCircuit("test");
            assertThat(tor.view().newnyms()).isEqualTo(1);
            assertThat(tor.view().lastNewnymReason()).isEqualTo("test");

            long pid = v.pid();
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            await().atMost(30, TimeUnit.SECONDS).until(() -> tor.view().restarts() >= 1);
            assertThat(tor.awaitReady(Duration.ofSeconds(90))).as("ready again after the restart").isTrue();
            assertThat(tor.view().pid()).isNotEqualTo(pid);
            assertThat(tor.view().lastError()).contains("tor exited");
        }
    }

    @Test
    void anExchangeRefusalMakesTheClientAvoidThatExit() throws Exception {
        // SOL holds exit 2's depth slot; XRP may use exits 1 and 2 but starts with exit 1 excluded, so the exchange
        // refuses its depth on exit 2; XRP then avoids exit 2 and gets its depth through exit 1.
        List<String> xrpLines = new ArrayList<>();
        for (String l : net.clientTorrcLines(2)) {
            if (!l.startsWith("ExitNodes")) {
                xrpLines.add(l);
            }
        }
        xrpLines.add("ExitNodes $" + net.exitFingerprint(1) + ",$" + net.exitFingerprint(2));
        xrpLines.add("ExcludeExitNodes $" + net.exitFingerprint(1));
        try (ClientHarness.Started sol = ClientHarness.startWithTor(torEnv("SOL_USDT", net.clientTorrcLines(2)),
                MemoryRowStore.keeping())) {
            await().atMost(90, TimeUnit.SECONDS).until(() -> sol.runtime().session().stats().depthLiveAt() > 0);
            try (ClientHarness.Started xrp = ClientHarness.startWithTor(torEnv("XRP_USDT", xrpLines),
                    MemoryRowStore.keeping())) {
                await().atMost(120, TimeUnit.SECONDS).until(() -> xrp.runtime().session().stats().depthLiveAt() > 0);
                assertThat(sim.snapshot().depthRefusals()).anyMatch(r -> "XRP_USDT".equals(r.symbol())
                        && r.ip().equals(net.exitSourceAddress(2)));
                assertThat(xrp.route().supervisor().view().excludedExits()).containsExactly(net.exitFingerprint(2));
                assertThat(sim.snapshot().connections().stream().filter(c -> c.isOpen() && c.subscriptions().stream()
                        .anyMatch(s -> "XRP_USDT".equals(s.symbol()) && s.accepted()
                                && s.method().equals("sub.depth.full"))).map(c -> c.remoteIp()).toList())
                        .containsExactly(net.exitSourceAddress(1));
            }
        }
    }

    @Test
    void theClientPublishesTheExitTheExchangeSees() throws Exception {
        try (ClientHarness.Started c = ClientHarness.startWithTor(torEnv("SOL_USDT", net.clientTorrcLines(2)),
                MemoryRowStore.keeping())) {
            await().atMost(90, TimeUnit.SECONDS).until(() -> c.route().exits() != null
                    && c.route().exits().view().exit() != null && c.runtime().session().stats().depthLiveAt() > 0);
            ExitMonitor.Exit exit = c.route().exits().view().exit();
            assertThat(exit.ip()).isEqualTo(net.exitSourceAddress(2));
            assertThat(exit.relayFingerprint()).isEqualTo(net.exitFingerprint(2));
            assertThat(sim.snapshot().connections().stream().filter(x -> x.subscriptions().stream()
                    .anyMatch(s -> "SOL_USDT".equals(s.symbol()))).map(x -> x.remoteIp()).distinct().toList())
                    .containsExactly(net.exitSourceAddress(2));
            Flags.Heartbeat hb = ControlFolder.of(dir.resolve("control"), "sol").read(Flags.HEARTBEAT,
                    Flags.Heartbeat.class).orElseThrow();
            assertThat(hb.symbol()).isEqualTo("SOL_USDT");
            ExitMonitor.Exit published = ControlFolder.of(dir.resolve("control"), "sol").read(Flags.EXIT,
                    ExitMonitor.Exit.class).orElseThrow();
            assertThat(published.ip()).isEqualTo(net.exitSourceAddress(2));
            assertThat(c.runtime().status().tor()).isInstanceOf(TorSupervisor.View.class);
        }
    }

    @Test
    void aForcedExitClashIsResolvedByTheClientThatYields() throws Exception {
        // BTC is pinned to exit 0. ETH may use exits 0 and 1 but starts with exit 1 excluded, so it lands on exit 0
        // too: a clash. ETH sorts after BTC, so ETH yields: it excludes the clashing exit, takes a new circuit and
        // reconnects, and ends on exit 1.
        List<String> ethLines = new ArrayList<>();
        for (String l : net.clientTorrcLines(0)) {
            if (!l.startsWith("ExitNodes")) {
                ethLines.add(l);
            }
        }
        ethLines.add("ExitNodes $" + net.exitFingerprint(0) + ",$" + net.exitFingerprint(1));
        ethLines.add("ExcludeExitNodes $" + net.exitFingerprint(1));
        try (ClientHarness.Started btc = ClientHarness.startWithTor(torEnv("BTC_USDT", net.clientTorrcLines(0),
                lenientSim), MemoryRowStore.keeping())) {
            await().atMost(90, TimeUnit.SECONDS).until(() -> btc.route().exits() != null
                    && btc.route().exits().view().exit() != null);
            assertThat(btc.route().exits().view().exit().ip()).isEqualTo(net.exitSourceAddress(0));
            try (ClientHarness.Started eth = ClientHarness.startWithTor(torEnv("ETH_USDT", ethLines, lenientSim),
                    MemoryRowStore.keeping())) {
                await().atMost(90, TimeUnit.SECONDS).until(() -> eth.route().supervisor().view().newnyms() >= 1);
                await().atMost(120, TimeUnit.SECONDS).until(() -> eth.route().exits().view().exit() != null
                        && eth.route().exits().view().exit().ip().equals(net.exitSourceAddress(1))
                        && eth.route().exits().view().clash() == null);
                assertThat(eth.route().supervisor().view().excludedExits()).containsExactly(net.exitFingerprint(0));
                assertThat(eth.runtime().session().stats().reconnects()).isPositive();
                assertThat(btc.route().exits().view().exit().ip()).as("the other client keeps its exit")
                        .isEqualTo(net.exitSourceAddress(0));
                assertThat(btc.route().supervisor().view().newnyms()).isZero();
                assertThat(eth.runtime().problems()).noneMatch(p -> p.contains("clash"));
            }
        }
    }
}
