package com.mexcpipe.testkit.tor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Pure parts of the harness; needs no tor. */
class TorHarnessUnitTest {
    @Test
    void parsesTorVersion() {
        assertThat(TorAvailability.parseVersion("Tor version 0.4.9.11.\nThis build of Tor is covered by ..."))
                .isEqualTo("0.4.9.11");
        assertThat(TorAvailability.parseVersion("bash: tor: command not found")).isNull();
    }

    @Test
    void comparesVersionsNumerically() {
        assertThat(TorAvailability.atLeast("0.4.9.11", "0.4.8")).isTrue();
        assertThat(TorAvailability.atLeast("0.4.8", "0.4.8")).isTrue();
        assertThat(TorAvailability.atLeast("0.4.10.1", "0.4.8")).isTrue();
        assertThat(TorAvailability.atLeast("0.4.7.16", "0.4.8")).isFalse();
        assertThat(TorAvailability.atLeast("0.3.5.17", "0.4.8")).isFalse();
    }

    @Test
    void availabilityExplainsItself() {
        TorAvailability a = TorAvailability.check();
        assertThat(a.reason()).isNotBlank();
        if (!a.available()) {
            assertThat(a.reason()).startsWith("private Tor network not runnable: ");
        }
    }

    @Test
    void readsFlagsFromAMicrodescConsensus() {
        String consensus = String.join("\n",
                "network-status-version 3 microdesc",
                "r tnauth PWDHiWvhIjNlpDBysUDcX2E6ZB0 2026-11-22 01:10:03 127.0.0.1 5000 5001",
                "m q2QW6fGySz9mvXYi1V0v0ezCHD8wJ93b0yMi0gY5rD4",
                "s Authority Guard Running Stable V2Dir Valid",
                "r tnexit0 AAECAwQFBgcICQoLDA0ODxAREhM 2026-11-22 01:10:04 127.0.0.1 5002 0",
                "s Exit Guard Running Valid",
                "directory-footer");
        Map<String, Set<String>> flags = Consensus.flags(consensus);
        assertThat(flags).containsOnlyKeys("3D60C7896BE1223365A43072B140DC5F613A641D",
                "000102030405060708090A0B0C0D0E0F10111213");
        assertThat(flags.get("000102030405060708090A0B0C0D0E0F10111213")).containsExactlyInAnyOrder(
                "Exit", "Guard", "Running", "Valid");
    }

    @Test
    void saysWhichRelaysTheConsensusStillLacks() {
        String consensus = String.join("\n",
                "r tnauth PWDHiWvhIjNlpDBysUDcX2E6ZB0 2026-11-22 01:10:03 127.0.0.1 5000 5001",
                "s Authority Running Valid",
                "r tnexit0 AAECAwQFBgcICQoLDA0ODxAREhM 2026-11-22 01:10:04 127.0.0.1 5002 0",
                "s Guard Running Valid");
        Map<String, String> required = new java.util.LinkedHashMap<>();
        required.put("3D60C7896BE1223365A43072B140DC5F613A641D", "tnauth");
        required.put("000102030405060708090A0B0C0D0E0F10111213", "tnexit0");
        required.put("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", "tnexit1");
        assertThat(Consensus.missing(consensus, required, "tnauth"))
                .isEqualTo("tnexit0 (no Exit flag), tnexit1 (not listed)");
        assertThat(Consensus.missing(consensus.replace("s Guard", "s Exit Guard"), Map.of(
                "3D60C7896BE1223365A43072B140DC5F613A641D", "tnauth",
                "000102030405060708090A0B0C0D0E0F10111213", "tnexit0"), "tnauth")).isEmpty();
    }

    @Test
    void ipEchoProbeAnswersTheCallersAddress() throws IOException {
        try (IpEchoProbe probe = IpEchoProbe.start()) {
            assertThat(IpEchoProbe.fetch("127.0.0.1", probe.port(), Duration.ofSeconds(5))).isEqualTo("127.0.0.1");
            assertThat(probe.peersSeen()).containsExactly("127.0.0.1");
        }
    }

    @Test
    void parsesListenerPorts() throws IOException {
        assertThat(ControlLite.firstListenerPort("\"127.0.0.1:40123\" \"[::1]:40124\"")).isEqualTo(40123);
        assertThat(ControlLite.firstListenerPort("127.0.0.1:9050")).isEqualTo(9050);
    }
}
