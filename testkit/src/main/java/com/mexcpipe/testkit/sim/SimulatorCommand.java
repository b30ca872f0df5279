package com.mexcpipe.testkit.sim;

import com.mexcpipe.common.cli.Command;
import com.mexcpipe.common.cli.ExitCodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;

/** {@code testkit.jar simulator}: runs the MEXC exchange simulator until SIGTERM. */
@CommandLine.Command(name = "simulator", mixinStandardHelpOptions = true,
        description = {"Runs a MEXC futures WebSocket simulator (sub.ticker, sub.deal, sub.depth.full, ping) with the live "
                + "rules, and an IP-echo endpoint.",
            "Prints one line with the ws URL and the IP-echo URL when ready, then runs until SIGTERM."})
public final class SimulatorCommand extends Command {
    @CommandLine.Option(names = "--port", defaultValue = "0", description = "WebSocket port (0 = ephemeral). Default: ${DEFAULT-VALUE}.")
    int port;

    @CommandLine.Option(names = "--bind", defaultValue = "127.0.0.1", description = "WebSocket bind address. Default: ${DEFAULT-VALUE}.")
    String bind;

    @CommandLine.Option(names = "--ip-echo-port", defaultValue = "0", description = "IP-echo HTTP port (0 = ephemeral). Default: ${DEFAULT-VALUE}.")
    int ipEchoPort;

    @CommandLine.Option(names = "--ip-echo-bind", defaultValue = "127.0.0.1", description = "IP-echo bind address. Default: ${DEFAULT-VALUE}.")
    String ipEchoBind;

    @CommandLine.Option(names = "--no-ip-echo", description = "Do not run the IP-echo endpoint.")
    boolean noIpEcho;

    @CommandLine.Option(names = "--control", description = "Serve fault-injection endpoints under /sim/ on the IP-echo port.")
    boolean control;

    @CommandLine.Option(names = "--tls", description = "Serve wss:// with a self-signed certificate made by keytool at start.")
    boolean tls;

    @CommandLine.Option(names = "--tls-cert-out", paramLabel = "FILE",
            description = "With --tls: write the certificate (PEM) here so clients can trust it.")
    Path tlsCertOut;

    @CommandLine.Option(names = "--ping-timeout", defaultValue = "60", paramLabel = "SECONDS",
            description = "Close a connection after this many seconds without a client ping (0 = never). Default: ${DEFAULT-VALUE}.")
    double pingTimeoutSeconds;

    @CommandLine.Option(names = "--depth-per-ip", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Refuse a second live sub.depth.full connection from one source IP. Default: ${DEFAULT-VALUE}.")
    boolean depthPerIp;

    @CommandLine.Option(names = "--ticker-rate", defaultValue = "1", description = "push.ticker frames/s per symbol. Default: ${DEFAULT-VALUE}.")
    double tickerRate;

    @CommandLine.Option(names = "--deal-rate", defaultValue = "5", description = "push.deal frames/s per symbol. Default: ${DEFAULT-VALUE}.")
    double dealRate;

    @CommandLine.Option(names = "--depth-rate", defaultValue = "5", description = "push.depth.full frames/s per symbol. Default: ${DEFAULT-VALUE}.")
    double depthRate;

    @CommandLine.Option(names = "--force-gzip", description = "Send every push as a gzip binary frame.")
    boolean forceGzip;

    @CommandLine.Option(names = "--known-symbols", split = ",", paramLabel = "SYMBOL",
            description = "Only these contracts exist (default: any XXX_USDT).")
    List<String> knownSymbols;

    @CommandLine.Option(names = "--unknown-symbols", split = ",", defaultValue = "NOPE_USDT", paramLabel = "SYMBOL",
            description = "These contracts never exist. Default: ${DEFAULT-VALUE}.")
    List<String> unknownSymbols;

    @CommandLine.Option(names = "--exponent-numbers", description = "Now and then write a depth price like 7.548E+4.")
    boolean exponentNumbers;

    @CommandLine.Option(names = "--whitespace-variation", description = "Now and then send indented or spaced JSON.")
    boolean whitespaceVariation;

    @CommandLine.Option(names = "--seed", description = "Random seed (default: time-based).")
    Long seed;

    @Override
    protected int run() throws Exception {
        SimulatorBuilder b = ExchangeSimulator.builder()
                .bindAddress(bind).port(port)
                .ipEcho(!noIpEcho).ipEchoBindAddress(ipEchoBind).ipEchoPort(ipEchoPort).controlEndpoints(control)
                .pingTimeout(Duration.ofMillis(Math.round(pingTimeoutSeconds * 1000)))
                .depthPerIpLimit(depthPerIp)
                .rates(tickerRate, dealRate, depthRate)
                .forceGzip(forceGzip)
                .knownSymbols(knownSymbols)
                .unknownSymbols(unknownSymbols)
                .exponentNumbers(exponentNumbers)
                .whitespaceVariation(whitespaceVariation)
                .frameLogOff();
        if (seed != null) {
            b.seed(seed);
        }
        if (tls) {
            TestTls t = TestTls.generate();
            b.tls(t);
            if (tlsCertOut != null) {
                writeCert(t);
            }
        } else if (tlsCertOut != null) {
            System.err.println("error: --tls-cert-out needs --tls");
            return ExitCodes.USAGE;
        }
        ExchangeSimulator sim = b.build().start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            stopped.countDown();
        }, "sim-shutdown"));
        System.out.println("simulator ready ws=" + sim.uri() + " ip-echo=" + (sim.ipEchoUri() == null ? "off" : sim.ipEchoUri())
                + (control && sim.ipEchoUri() != null ? " control=" + sim.ipEchoUri().resolve("/sim/") : ""));
        System.out.flush();
        stopped.await();
        return ExitCodes.OK;
    }

    private void writeCert(TestTls t) throws IOException {
        Path parent = tlsCertOut.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(tlsCertOut, t.certificatePem(), StandardCharsets.US_ASCII);
    }
}
