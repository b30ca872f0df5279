package com.mexcpipe.client.tor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mexcpipe.client.ClientConfig;
import com.mexcpipe.common.Env;
import com.mexcpipe.common.cli.UnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorUnitTest {
    @TempDir
    Path dir;

    ClientConfig config(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of("SYMBOL", "ETH_USDT", "TOR_DATA_DIR", dir.resolve("tor").toString(),
                "TOR_SOCKS_PORT", "19050", "TOR_CONTROL_PORT", "19051"));
        env.putAll(extra);
        return ClientConfig.fromEnv(new Env(env));
    }

    @Test
    void torAbsentIsAClearErrorAndNothingConnects() {
        ClientConfig cfg = config(Map.of("TOR_PATH", "/nonexistent/tor"));
        TorSupervisor sup = new TorSupervisor(cfg.tor(), "eth", Clock.systemUTC(), null);
        assertThatThrownBy(sup::start).isInstanceOf(UnavailableException.class)
                .hasMessageContaining("tor not found or not executable at /nonexistent/tor (TOR_PATH)")
                .hasMessageContaining("refusing to connect without Tor");
        assertThat(sup.ready()).isFalse();
    }

    @Test
    void torrcKeepsEverythingOnLoopbackWithCookieAuthAndOwnership() throws IOException {
        Path extra = dir.resolve("extra.torrc");
        Files.writeString(extra, "TestingTorNetwork 1\nExitNodes $ABCD\n", StandardCharsets.UTF_8);
        ClientConfig cfg = config(Map.of("TOR_EXIT_COUNTRIES", "de, {NL},ch", "TOR_STRICT_EXIT", "true",
                "TOR_EXTRA_TORRC", extra.toString()));
        List<String> lines = Torrc.lines(cfg.tor(), 4242);
        assertThat(lines).contains(
                "DataDirectory " + dir.resolve("tor").toAbsolutePath(),
                "SocksPort 127.0.0.1:19050 IsolateSOCKSAuth",
                "ControlPort 127.0.0.1:19051",
                "CookieAuthentication 1",
                "__OwningControllerProcess 4242",
                "ExitNodes {de},{nl},{ch}",
                "StrictNodes 1",
                "TestingTorNetwork 1",
                "ExitNodes $ABCD");
        assertThat(lines.indexOf("TestingTorNetwork 1")).as("extra lines come last")
                .isGreaterThan(lines.indexOf("StrictNodes 1"));
    }

    @Test
    void badExitCountriesStopStartupNamingTheVariable() {
        assertThatThrownBy(() -> config(Map.of("TOR_EXIT_COUNTRIES", "de,germany")))
                .hasMessageContaining("TOR_EXIT_COUNTRIES=de,germany")
                .hasMessageContaining("'germany' is not a two-letter country code");
    }

    @Test
    void exitIpFromPlainTextOrJson() throws IOException {
        assertThat(ExitMonitor.parseIp("127.0.0.3\n")).isEqualTo("127.0.0.3");
        assertThat(ExitMonitor.parseIp("{\"IsTor\":true,\"IP\":\"185.220.101.4\"}")).isEqualTo("185.220.101.4");
        assertThat(ExitMonitor.parseIp("{\"ip\":\"2a0b:f4c2::1\"}")).isEqualTo("2a0b:f4c2::1");
        assertThatThrownBy(() -> ExitMonitor.parseIp("<html>blocked</html>")).isInstanceOf(IOException.class)
                .hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> ExitMonitor.parseIp("{\"IsTor\":false}")).hasMessageContaining("no IP");
    }

    @Test
    void httpResponsesPlainAndChunked() throws IOException {
        assertThat(SocksHttp.parse("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n127.0.0.2".getBytes()))
                .isEqualTo(new SocksHttp.Response(200, "127.0.0.2"));
        assertThat(SocksHttp.parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"ip\r\na\r\n\":\"1.2.3\"}\r\n0\r\n\r\n"
                .getBytes())).isEqualTo(new SocksHttp.Response(200, "{\"ip\":\"1.2.3\"}"));
        assertThatThrownBy(() -> SocksHttp.parse("garbage".getBytes())).isInstanceOf(IOException.class);
    }
}
