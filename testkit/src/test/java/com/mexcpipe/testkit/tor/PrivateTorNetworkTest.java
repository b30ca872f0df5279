package com.mexcpipe.testkit.tor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.freehaven.tor.control.TorControlCommands;
import net.freehaven.tor.control.TorControlConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/** One network (1 authority + 3 exits) and 3 pinned clients, shared by all methods; the last one closes it. */
@Tag("tor")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrivateTorNetworkTest {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private PrivateTorNetwork net;
    private final List<TorClientProcess> clients = new ArrayList<>();
    private IpEchoProbe echo;

    @BeforeAll
    void startNetworkAndClients() {
        TorAvailability tor = TorAvailability.check();
        assumeTrue(tor.available(), tor.reason());
        echo = IpEchoProbe.start();
        long t0 = System.nanoTime();
        net = PrivateTorNetwork.builder().exits(3).start();
        long t1 = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            clients.add(net.startClient(i));
        }
        List<Long> readyMs = new ArrayList<>();
        for (TorClientProcess c : clients) {
            c.awaitReady(READY_TIMEOUT);
            readyMs.add((System.nanoTime() - t1) / 1_000_000);
        }
        System.out.printf("TOR-TIMING network start %d ms (preparation %d ms, consensus %d ms after launch);"
                        + " clients ready %s ms after network start; total %d ms%n",
                (t1 - t0) / 1_000_000, net.preparationTime().toMillis(), net.consensusTime().toMillis(), readyMs,
                (System.nanoTime() - t0) / 1_000_000);
    }

    @AfterAll
    void stop() {
        if (net != null) {
            net.close();
        }
        if (echo != null) {
            echo.close();
        }
    }

    @Test
    @Order(1)
    void clientTorrcLinesPinTheExitAndLeaveClientOwnedOptionsAlone() {
        assertThat(net.exitCount()).isEqualTo(3);
        List<String> fps = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String fp = net.exitFingerprint(i);
            assertThat(fp).matches("[0-9A-F]{40}");
            fps.add(fp);
            assertThat(net.exitSourceAddress(i)).isEqualTo("127.0.0." + (i + 2));
            List<String> lines = net.clientTorrcLines(i);
            assertThat(lines).contains("TestingTorNetwork 1", "ExitNodes $" + fp, "ConfluxEnabled 0", net.dirAuthorityLine());
            assertThat(lines).noneMatch(l -> l.startsWith("SocksPort") || l.startsWith("ControlPort")
                    || l.startsWith("DataDirectory"));
        }
        assertThat(fps).doesNotHaveDuplicates().doesNotContain(net.authorityFingerprint());
        assertThat(net.dirAuthorityLine()).startsWith("DirAuthority tnauth orport=").contains("127.0.0.1:" + net.authorityDirPort());
        assertThat(net.directory()).isDirectory();
    }

    @Test
    @Order(2)
    void threeClientsReachALoopbackServerFromDistinctSourceIps() throws IOException {
        List<String> seen = new ArrayList<>();
        for (TorClientProcess c : clients) {
            for (int round = 0; round < 2; round++) {
                Proxy socks = new Proxy(Proxy.Type.SOCKS, new InetSocketAddress("127.0.0.1", c.socksPort()));
                try (Socket s = new Socket(socks)) {
                    s.connect(InetSocketAddress.createUnresolved("127.0.0.1", echo.port()), 20_000);
                    s.setSoTimeout(20_000);
                    String ip = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                            .readLine();
                    assertThat(ip).as("source IP via client pinned to exit %d", c.exitIndex())
                            .isEqualTo(c.expectedSourceAddress());
                    if (round == 0) {
                        seen.add(ip);
                    }
                }
            }
        }
        assertThat(seen).containsExactly("127.0.0.2", "127.0.0.3", "127.0.0.4").doesNotHaveDuplicates();
        assertThat(echo.peersSeen()).containsExactly(
                "127.0.0.2", "127.0.0.2", "127.0.0.3", "127.0.0.3", "127.0.0.4", "127.0.0.4");
    }

    @Test
    @Order(3)
    void jtorctlWithCookieAuthReadsBootstrapAndSendsNewnym() throws IOException {
        TorClientProcess c = clients.get(1);
        try (Socket s = new Socket("127.0.0.1", c.controlPort())) {
            TorControlConnection ctl = new TorControlConnection(s);
            ctl.launchThread(true);
            ctl.authenticate(Files.readAllBytes(c.cookieFile()));
            assertThat(ctl.getInfo("version")).startsWith(TorAvailability.check().torVersion());
            assertThat(ctl.getInfo("status/bootstrap-phase")).contains("PROGRESS=100").contains("TAG=done");
            assertThat(ctl.getInfo("status/circuit-established")).isEqualTo("1");
            ctl.signal(TorControlCommands.SIGNAL_NEWNYM);
        }
        // new circuits after NEWNYM still leave through the pinned exit
        assertThat(c.probeSourceIp(Duration.ofSeconds(30))).isEqualTo("127.0.0.3");
    }

    @Test
    @Order(4)
    void closeStopsEveryProcessAndDeletesTheDirectory() {
        List<ProcessHandle> all = new ArrayList<>(net.processes());
        clients.forEach(c -> all.add(c.process()));
        assertThat(all).hasSize(7).allMatch(ProcessHandle::isAlive);
        Path dir = net.directory();

        net.close();

        assertThat(all).noneMatch(ProcessHandle::isAlive);
        assertThat(net.clients()).isEmpty();
        if (!Boolean.getBoolean(PrivateTorNetwork.KEEP_PROPERTY)) {
            assertThat(dir).doesNotExist();
        }
        assertThat(ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(dir.toString())).orElse(false)))
                .as("processes still referring to %s", dir).isEmpty();
    }
}
