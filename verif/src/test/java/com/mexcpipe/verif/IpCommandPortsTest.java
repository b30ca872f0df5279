package com.mexcpipe.verif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mexcpipe.common.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verif ip finds the clients where ./setup put them: STATUS_PORT_BASE + 1 … one port per symbol. */
class IpCommandPortsTest {
    @TempDir
    Path dir;

    @Test
    void onePortPerSymbolAboveTheBase() throws Exception {
        Path env = Files.writeString(dir.resolve(".env"), "SYMBOLS=BTC_USDT,ETH_USDT,SOL_USDT,XRP_USDT\nSTATUS_PORT_BASE=9000\n");
        assertThat(IpCommand.defaultUrls(DotEnv.load(env))).containsExactly("http://127.0.0.1:9001",
                "http://127.0.0.1:9002", "http://127.0.0.1:9003", "http://127.0.0.1:9004");
    }

    @Test
    void withoutEnvTheNineClientPortsAboveTheExportersDefault() {
        assertThat(IpCommand.defaultUrls(DotEnv.load(dir.resolve("missing.env"))))
                .hasSize(9).startsWith("http://127.0.0.1:8081").endsWith("http://127.0.0.1:8089");
    }

    @Test
    void aBadBaseIsAConfigurationError() throws Exception {
        Path env = Files.writeString(dir.resolve(".env"), "STATUS_PORT_BASE=eighty\n");
        assertThatThrownBy(() -> IpCommand.defaultUrls(DotEnv.load(env))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("STATUS_PORT_BASE=eighty");
    }
}
