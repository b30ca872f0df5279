package com.mexcpipe.testkit.tor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A start that misses its deadline fails with the log tails and leaves no process or directory behind. */
@Tag("tor")
class PrivateTorNetworkStartFailureTest {
    @TempDir
    Path parent;

    @Test
    void missedBootstrapDeadlineFailsWithLogTailsAndCleansUp() throws IOException {
        TorAvailability tor = TorAvailability.check();
        assumeTrue(tor.available(), tor.reason());

        // the first consensus cannot exist after 2 s (voting interval 10 s), so this must fail at the consensus stage
        assertThatThrownBy(() -> PrivateTorNetwork.builder().exits(3).bootstrapTimeout(Duration.ofSeconds(2))
                .parentDirectory(parent).keepDirectory(false).start())
                .isInstanceOf(TorNetworkException.class)
                .hasMessageContaining("did not bootstrap within 2 s")
                .hasMessageContaining("the consensus still lacks")
                .hasMessageContaining("--- tnauth")
                .hasMessageContaining("--- tnexit2")
                .hasMessageContaining("[notice.log]");

        assertThat(ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(parent.toString())).orElse(false)))
                .as("processes left behind").isEmpty();
        try (Stream<Path> left = Files.list(parent)) {
            assertThat(left).as("network directory left behind").isEmpty();
        }
    }
}
