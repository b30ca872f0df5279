package com.mexcpipe.testkit.tor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A plain client tor for tests, on a {@link PrivateTorNetwork} and pinned to one exit: SocksPort and ControlPort on
 * 127.0.0.1 (ports chosen by tor, so no clashes), cookie authentication, its own DataDirectory under
 * {@code <network dir>/clients/}, plus {@link PrivateTorNetwork#clientTorrcLines(int)}.
 *
 * <p>{@link #start} returns once the ports are known; {@link #awaitReady(Duration)} then waits until a real request
 * through the SOCKS port reaches the network's {@link IpEchoProbe} from the expected exit address
 * ({@code status/circuit-established=1} alone is not a reliable signal). Closed by {@link #close()} or with its
 * network.
 */
public final class TorClientProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TorClientProcess.class);
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final Duration PER_TRY = Duration.ofSeconds(5);
    private static final int LOG_TAIL_LINES = 30;

    private final PrivateTorNetwork network;
    private final int exitIndex;
    private final TorNode node;
    private final AtomicBoolean closed = new AtomicBoolean();
    private int socksPort;
    private int controlPort;
    private int httpTunnelPort = -1;

    private TorClientProcess(PrivateTorNetwork network, int exitIndex, TorNode node) {
        this.network = network;
        this.exitIndex = exitIndex;
        this.node = node;
    }

    /** Options for {@link #start(PrivateTorNetwork, int, Options)}. */
    public static final class Options {
        private boolean httpTunnel;
        private final List<String> extraLines = new ArrayList<>();
        private Duration startTimeout = Duration.ofSeconds(30);

        public static Options defaults() {
            return new Options();
        }

        /** Also open an {@code HTTPTunnelPort} (HTTP CONNECT proxy, e.g. for java.net.http with ws/wss/https). */
        public Options httpTunnel(boolean enabled) {
            this.httpTunnel = enabled;
            return this;
        }

        /** Extra torrc lines, appended last. */
        public Options extraTorrcLines(List<String> lines) {
            this.extraLines.addAll(lines);
            return this;
        }

        /** How long tor may take to open its listeners (default 30 s). */
        public Options startTimeout(Duration timeout) {
            this.startTimeout = Objects.requireNonNull(timeout);
            return this;
        }
    }

    public static TorClientProcess start(PrivateTorNetwork network, int exitIndex) {
        return start(network, exitIndex, Options.defaults());
    }

    /** Starts the client tor and learns its ports; does not wait for circuits (see {@link #awaitReady}). */
    public static TorClientProcess start(PrivateTorNetwork network, int exitIndex, Options options) {
        network.ensureOpen();
        network.exitFingerprint(exitIndex); // validates the index
        String name = "client" + SEQ.incrementAndGet() + "-exit" + exitIndex;
        TorNode node = new TorNode(name, TorNode.createPrivateDir(network.directory().resolve("clients").resolve(name)));
        TorClientProcess c = new TorClientProcess(network, exitIndex, node);
        network.attach(c);
        try {
            c.launch(options);
            return c;
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        }
    }

    private void launch(Options options) {
        Path portFile = node.dir().resolve("control-port");
        List<String> torrc = new ArrayList<>(List.of(
                "DataDirectory " + node.dir(),
                "SocksPort 127.0.0.1:auto",
                "ControlPort 127.0.0.1:auto",
                "ControlPortWriteToFile " + portFile,
                "CookieAuthentication 1",
                "Log notice file " + node.noticeLog(),
                "SafeLogging 0",
                "__OwningControllerProcess " + network.ownerPid()));
        torrc.addAll(network.noGeoIpLines());
        if (options.httpTunnel) {
            torrc.add("HTTPTunnelPort 127.0.0.1:auto");
        }
        torrc.addAll(network.clientTorrcLines(exitIndex));
        torrc.addAll(options.extraLines);
        node.writeTorrc(torrc);
        node.start(network.tools().tor(), java.util.Map.of());

        long deadline = System.nanoTime() + options.startTimeout.toNanos();
        Path cookie = cookieFile();
        while (!(Files.isRegularFile(portFile) && Files.isRegularFile(cookie))) {
            if (node.exitCode() != null) {
                throw failure("exited with code " + node.exitCode() + " during start");
            }
            if (System.nanoTime() > deadline) {
                throw failure("did not open its control port within " + options.startTimeout.toSeconds() + " s");
            }
            PrivateTorNetwork.sleep(50);
        }
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try {
                String content = Files.readString(portFile, StandardCharsets.US_ASCII).trim(); // PORT=127.0.0.1:NNNN
                byte[] cookieBytes = Files.readAllBytes(cookie);
                if (!content.startsWith("PORT=") || cookieBytes.length != 32) {
                    throw new IOException("control port file or cookie not complete yet");
                }
                controlPort = ControlLite.firstListenerPort(content.substring("PORT=".length()));
                try (ControlLite ctl = ControlLite.connect(controlPort, cookieBytes, Duration.ofSeconds(5))) {
                    socksPort = ControlLite.firstListenerPort(ctl.getInfo("net/listeners/socks"));
                    if (options.httpTunnel) {
                        httpTunnelPort = ControlLite.firstListenerPort(ctl.getInfo("net/listeners/httptunnel"));
                    }
                }
                LOG.debug("{} started: socks {}, control {}", node.name(), socksPort, controlPort);
                return;
            } catch (IOException | NumberFormatException e) {
                last = e instanceof IOException io ? io : new IOException(e);
                if (node.exitCode() != null) {
                    break;
                }
                PrivateTorNetwork.sleep(100);
            }
        }
        throw failure("control port unusable: " + last);
    }

    public int socksPort() {
        return socksPort;
    }

    public int controlPort() {
        return controlPort;
    }

    /** The HTTP CONNECT port if {@link Options#httpTunnel(boolean)} was set, else -1. */
    public int httpTunnelPort() {
        return httpTunnelPort;
    }

    public Path dataDirectory() {
        return node.dir();
    }

    /** The control cookie (32 bytes) for {@code AUTHENTICATE}. */
    public Path cookieFile() {
        return node.dir().resolve("control_auth_cookie");
    }

    public Path noticeLog() {
        return node.noticeLog();
    }

    public int exitIndex() {
        return exitIndex;
    }

    /** The source address servers see for this client's streams: its exit's, e.g. "127.0.0.2". */
    public String expectedSourceAddress() {
        return network.exitSourceAddress(exitIndex);
    }

    /** A {@link Proxy} for {@code new Socket(proxy)}; connect to {@code InetSocketAddress.createUnresolved(..)}. */
    public Proxy socksProxy() {
        return new Proxy(Proxy.Type.SOCKS, new InetSocketAddress(InetAddress.getLoopbackAddress(), socksPort));
    }

    public ProcessHandle process() {
        return node.handle().orElseThrow();
    }

    /** One request through this client to the network's IP echo probe; returns the source IP it saw. */
    public String probeSourceIp(Duration timeout) throws IOException {
        IpEchoProbe probe = network.ipEchoProbe();
        return IpEchoProbe.fetchViaSocks(socksPort, probe.host(), probe.port(), timeout);
    }

    /**
     * Waits until a request through the SOCKS port reaches the network's IP echo probe and the probe sees this client's
     * exit address. Retries with a 5 s limit per try.
     *
     * @return how long it took
     * @throws TorNetworkException on timeout, if tor exits, or if the request arrives from a different address
     */
    public Duration awaitReady(Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        String expected = expectedSourceAddress();
        IOException last = null;
        int tries = 0;
        while (true) {
            if (closed.get()) {
                throw new IllegalStateException(node.name() + " is closed");
            }
            if (node.exitCode() != null) {
                throw failure("exited with code " + node.exitCode() + " while waiting for readiness");
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                break;
            }
            tries++;
            try {
                String ip = probeSourceIp(Duration.ofNanos(Math.min(PER_TRY.toNanos(), remaining)));
                if (!ip.equals(expected)) {
                    throw failure("reached the probe from " + ip + " but exit " + exitIndex + " should leave from "
                            + expected + " (bind shim not effective?)");
                }
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                LOG.info("{} ready after {} ms ({} tries), exit {} ({})", node.name(), took.toMillis(), tries, exitIndex, ip);
                return took;
            } catch (IOException e) {
                last = e;
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    PrivateTorNetwork.sleep(Math.min(250, left / 1_000_000 + 1));
                }
            }
        }
        throw failure("not ready within " + timeout.toSeconds() + " s (" + tries + " requests through SOCKS port "
                + socksPort + " failed; last: " + last + ")\n" + network.exitDescription(exitIndex, LOG_TAIL_LINES));
    }

    /** The last lines of this client's logs. */
    public String logTail(int lines) {
        return node.describe(lines);
    }

    private TorNetworkException failure(String what) {
        return new TorNetworkException("tor client " + node.name() + " (pinned to exit " + exitIndex + "): " + what
                + "\n" + node.describe(LOG_TAIL_LINES));
    }

    /** SIGTERM without waiting (the network uses it to stop all clients at once). */
    void terminate() {
        node.terminate();
    }

    /** Stops the tor (SIGTERM, SIGKILL after 5 s). Its directory goes with the network's. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            node.terminate();
            node.awaitGone(5000);
        } finally {
            network.detach(this);
        }
    }
}
