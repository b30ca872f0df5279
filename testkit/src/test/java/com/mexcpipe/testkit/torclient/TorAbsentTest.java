package com.mexcpipe.testkit.torclient;

import static org.assertj.core.api.Assertions.assertThat;

import com.mexcpipe.common.cli.ExitCodes;
import com.mexcpipe.testkit.client.ClientHarness;
import com.mexcpipe.testkit.demo.ClientProcess;
import com.mexcpipe.testkit.sim.ExchangeSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fail closed: with Tor enabled and no tor binary the client says so, exits, and never reaches the exchange. */
class TorAbsentTest {
    @TempDir
    Path dir;

    @Test
    void noTorBinaryMeansAClearErrorAndNoDirectConnection() throws Exception {
        Path jar = ClientProcess.findClientJar().orElse(null);
        Assumptions.assumeTrue(jar != null, "client/target/client.jar not built: run mvn verify (package before tests)");
        try (ExchangeSimulator sim = ExchangeSimulator.builder().build().start()) {
            Map<String, String> env = ClientHarness.with(ClientHarness.testEnv("BTC_USDT", sim.uri().toString(), dir),
                    "TOR_ENABLED", "true", "TOR_PATH", dir.resolve("no-such-tor").toString(),
                    "TOR_DATA_DIR", dir.resolve("tor").toString(), "HTTP_PORT",
                    Integer.toString(ClientProcess.freePort()));
            Path log = dir.resolve("client.log");
            try (ClientProcess p = ClientProcess.start(jar, "BTC_USDT", env, log)) {
                assertThat(p.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(p.process().exitValue()).isEqualTo(ExitCodes.UNAVAILABLE);
            }
            assertThat(Files.readString(log)).contains("tor not found or not executable at " + dir.resolve("no-such-tor")
                    + " (TOR_PATH)");
            Thread.sleep(500);
            assertThat(sim.snapshot().connections()).as("nothing went to the exchange directly").isEmpty();
        }
    }
}
