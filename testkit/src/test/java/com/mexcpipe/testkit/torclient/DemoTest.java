package com.mexcpipe.testkit.torclient;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mexcpipe.common.cli.ExitCodes;
import com.mexcpipe.testkit.demo.ClientProcess;
import com.mexcpipe.testkit.demo.DemoCommand;
import com.mexcpipe.testkit.tor.TorAvailability;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The demo scenario with three real client.jar processes, and its negative control. */
@Tag("tor")
@Timeout(240)
class DemoTest {
    static Path clientJar() {
        Path jar = ClientProcess.findClientJar().orElse(null);
        Assumptions.assumeTrue(jar != null, "client/target/client.jar not built: run mvn verify (package before tests)");
        return jar;
    }

    @Test
    void throughPrivateTorEachSymbolGetsItsOwnExitAndItsDepth() throws Exception {
        TorAvailability tor = TorAvailability.check();
        Assumptions.assumeTrue(tor.available(), tor.reason());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DemoCommand demo = new DemoCommand().configure(DemoCommand.TorMode.PRIVATE, 25, clientJar())
                .output(new PrintStream(out, true, "UTF-8"));
        int code = demo.call();
        JsonNode s = demo.lastSummary();
        assertThat(code).as(out.toString("UTF-8")).isEqualTo(ExitCodes.OK);
        assertThat(s.get("ok").asBoolean()).isTrue();
        List<String> ips = new ArrayList<>();
        for (JsonNode n : s.get("symbols")) {
            assertThat(n.get("depthAccepted").asBoolean()).isTrue();
            assertThat(n.get("publishedExit").asText()).isEqualTo(n.get("sourceIp").asText())
                    .isEqualTo(n.get("pinnedExitSource").asText());
            assertThat(n.get("rowsDecoded").get("dp").asLong()).isPositive();
            assertThat(n.get("framesPushed").get("depth").asLong()).isPositive();
            ips.add(n.get("sourceIp").asText());
        }
        assertThat(new HashSet<>(ips)).hasSize(3);
    }

    @Test
    void negativeControlDirectConnectionsShareAnIpAndTwoDepthSubscriptionsAreRefused() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DemoCommand demo = new DemoCommand().configure(DemoCommand.TorMode.NONE, 8, clientJar())
                .output(new PrintStream(out, true, "UTF-8"));
        int code = demo.call();
        JsonNode s = demo.lastSummary();
        assertThat(code).isEqualTo(ExitCodes.FAILED);
        assertThat(s.get("distinctSourceIps").asBoolean()).isFalse();
        int accepted = 0;
        int refused = 0;
        for (JsonNode n : s.get("symbols")) {
            assertThat(n.get("sourceIp").asText()).isEqualTo("127.0.0.1");
            if (n.get("depthAccepted").asBoolean()) {
                accepted++;
            }
            if (n.get("depthRefusals").asLong() > 0) {
                refused++;
            }
        }
        assertThat(accepted).isEqualTo(1);
        assertThat(refused).isEqualTo(2);
    }
}
