package com.mexcpipe.testkit.bench;

import com.mexcpipe.client.ClientRuntime;
import com.mexcpipe.client.bench.FrameCorpus;
import com.mexcpipe.client.store.Batcher;
import com.mexcpipe.common.cli.Command;
import com.mexcpipe.common.cli.ExitCodes;
import com.mexcpipe.testkit.client.ClientHarness;
import com.mexcpipe.testkit.store.MemoryRowStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/**
 * {@code testkit bench-client --seconds N}: a replay server on loopback pushes a live-shaped corpus as fast as the
 * socket drains into one real client (WebSocket → decoder → batcher → a store that discards acknowledged batches).
 * Reports frames/s and rows/s over the measured window (after a warm-up) and ends with one JSON line.
 */
@CommandLine.Command(name = "bench-client", mixinStandardHelpOptions = true,
        description = "Measure frames/s through one client on loopback (replayed live-shaped frames, discarding store).")
public final class ClientThroughputCommand extends Command {
    @CommandLine.Option(names = "--seconds", defaultValue = "10", description = "measured seconds (default 10)")
    int seconds = 10;

    @CommandLine.Option(names = "--warmup", defaultValue = "5", description = "warm-up seconds (default 5)")
    int warmup = 5;

    @Override
    protected int run() throws Exception {
        List<String> corpus = FrameCorpus.generate(50_000, 42);
        Path dir = Files.createTempDirectory("bench-client-");
        MemoryRowStore store = MemoryRowStore.discarding();
        ReplayServer server = new ReplayServer(corpus);
        server.start();
        server.await();
        String url = "ws://127.0.0.1:" + server.getPort() + "/edge";
        try (ClientRuntime rt = ClientHarness.start(ClientHarness.with(ClientHarness.testEnv("BTC_USDT", url, dir),
                "SILENCE_TIMEOUT_MS", "60000", "FLUSH_INTERVAL_MS", "200", "STATS_INTERVAL_S", "3600"), store)) {
            Thread.sleep(warmup * 1000L);
            long f0 = rt.session().stats().totalFrames();
            long r0 = rt.batcher().stats().added().total();
            long s0 = store.count();
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long t1 = System.nanoTime();
            long f1 = rt.session().stats().totalFrames();
            long r1 = rt.batcher().stats().added().total();
            long s1 = store.count();
            long cpu1 = processCpuNanos();
            server.stopSending();
            double secs = (t1 - t0) / 1e9;
            Batcher.Stats b = rt.batcher().stats();
            double fps = (f1 - f0) / secs;
            System.out.printf(Locale.ROOT, "client throughput: %.0f frames/s, %.0f rows/s decoded, %.0f rows/s stored "
                    + "(discarding store), process CPU %.2f cores, buffered %d, spooled %d, reconnects %d%n", fps,
                    (r1 - r0) / secs, (s1 - s0) / secs, (cpu1 - cpu0) / 1e9 / secs, b.bufferedRows(), b.spooledRows(),
                    rt.session().stats().reconnects());
            System.out.printf(Locale.ROOT, "{\"framesPerSecond\":%.0f,\"rowsPerSecond\":%.0f,\"storedRowsPerSecond\":%.0f,"
                    + "\"seconds\":%.1f,\"cpuCores\":%.2f}%n", fps, (r1 - r0) / secs, (s1 - s0) / secs, secs,
                    (cpu1 - cpu0) / 1e9 / secs);
        } finally {
            server.stop(1000);
        }
        return ExitCodes.OK;
    }

    private static long processCpuNanos() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }
}
