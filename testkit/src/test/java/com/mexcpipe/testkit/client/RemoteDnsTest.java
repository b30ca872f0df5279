package com.mexcpipe.testkit.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.mexcpipe.client.ClientRuntime;
import com.mexcpipe.client.transport.SocksRoute;
import com.mexcpipe.testkit.sim.ExchangeSimulator;
import com.mexcpipe.testkit.sim.DropMode;
import com.mexcpipe.testkit.socks.Socks5Relay;
import com.mexcpipe.testkit.store.MemoryRowStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exchange's hostname goes to the SOCKS proxy unresolved (ATYP 3) and is never looked up locally: the test host
 * name cannot be resolved on this machine at all, yet the client connects and collects rows through the proxy. Each
 * connection epoch authenticates with its own SOCKS username (Tor's IsolateSOCKSAuth then gives it its own circuit).
 */
@Timeout(60)
class RemoteDnsTest {
    static final String HOST = "contract.mexc-test.invalid";

    @TempDir
    Path dir;

    @Test
    void theHostnameReachesTheProxyUnresolvedAndEachEpochHasItsOwnCredentials() throws Exception {
        assertThatThrownBy(() -> InetAddress.getByName(HOST)).as("precondition: the name does not resolve here")
                .isInstanceOf(UnknownHostException.class);
        MemoryRowStore store = MemoryRowStore.keeping();
        try (ExchangeSimulator sim = ExchangeSimulator.builder().rates(2, 10, 10).build().start();
                Socks5Relay socks = new Socks5Relay()) {
            socks.route(HOST, 443, new InetSocketAddress("127.0.0.1", sim.port()));
            String url = "ws://" + HOST + ":443/edge";
            try (ClientRuntime rt = ClientHarness.start(ClientHarness.testEnv("BTC_USDT", url, dir), store,
                    new SocksRoute(socks.port(), "mexc-btc", null))) {
                await().atMost(20, TimeUnit.SECONDS).until(() -> rt.session().stats().depthLiveAt() > 0);
                sim.dropAll(DropMode.CLOSE_FRAME);
                await().atMost(20, TimeUnit.SECONDS).until(() -> rt.session().stats().reconnects() == 1
                        && rt.session().stats().depthLiveAt() > 0);
                assertThat(store.count()).isPositive();
            }
            assertThat(socks.requests()).hasSizeGreaterThanOrEqualTo(2);
            assertThat(socks.requests()).allSatisfy(r -> {
                assertThat(r.atyp()).as("domain name, not an address").isEqualTo(3);
                assertThat(r.host()).isEqualTo(HOST);
                assertThat(r.port()).isEqualTo(443);
            });
            assertThat(socks.requests()).extracting(Socks5Relay.Request::user).startsWith("mexc-btc-1", "mexc-btc-2");
        }
    }
}
