package com.mexcpipe.testkit.tor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private Tor network on loopback for tests: one directory authority and N exit relays ({@code TestingTorNetwork 1}),
 * exit {@code i} leaving from 127.0.0.{i+2}, so a server on 127.0.0.1 sees a distinct source IP per exit.
 *
 * <p>tor ignores {@code OutboundBindAddressExit} for loopback destinations, so each exit runs with an LD_PRELOAD shim
 * (compiled with the C compiler into the network's directory at start) that binds its outgoing TCP sockets to its
 * address. Start is staged: authority, then exits, then wait until the authority's consensus lists every relay with
 * the flags clients need (exits: Exit, Running, Valid). Clients are separate tors, e.g. {@link TorClientProcess}, or
 * the project's client tor configured with {@link #clientTorrcLines(int)}.
 *
 * <pre>{@code
 * try (PrivateTorNetwork net = PrivateTorNetwork.builder().exits(3).start();
 *      IpEchoProbe echo = IpEchoProbe.start()) {
 *     TorClientProcess c = TorClientProcess.start(net, 0);
 *     c.awaitReady(Duration.ofSeconds(90));
 *     IpEchoProbe.fetchViaSocks(c.socksPort(), "127.0.0.1", echo.port(), Duration.ofSeconds(10)); // "127.0.0.2"
 * }   // stops the client(s), the relays, deletes the directory
 * }</pre>
 *
 * <p>Cleanup: {@link #close()} (also stops every {@link TorClientProcess} started on this network), a JVM shutdown hook,
 * and {@code __OwningControllerProcess <jvm pid>} in every torrc (tor exits within ~15 s after the JVM dies).
 */
public final class PrivateTorNetwork implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PrivateTorNetwork.class);
    /** System property: keep the network directory (logs, torrcs) after close, for debugging. */
    public static final String KEEP_PROPERTY = "mexcpipe.tornet.keep";
    static final String AUTH_NICK = "tnauth";
    private static final int MAX_START_ATTEMPTS = 3;
    static final int LOG_TAIL_LINES = 40;
    private static final String OWNER_FILE = "owner.pid";

    private final int exitCount;
    private final Duration bootstrapTimeout;
    private final boolean keepDirectory;
    private final TorAvailability tools;
    private final Path dir;
    private final TorNode authority;
    private final List<TorNode> exits = new ArrayList<>();
    private final List<TorClientProcess> clients = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final long pid = ProcessHandle.current().pid();

    private int authOrPort;
    private int authDirPort;
    private final List<Integer> exitOrPorts = new ArrayList<>();
    private String v3Ident;
    private String authFingerprint;
    private final List<String> exitFingerprints = new ArrayList<>();
    private Duration preparationTime = Duration.ZERO;
    private Duration consensusTime = Duration.ZERO;
    private IpEchoProbe probe;

    private PrivateTorNetwork(Builder b, TorAvailability tools) {
        this.exitCount = b.exits;
        this.bootstrapTimeout = b.bootstrapTimeout;
        this.keepDirectory = b.keepDirectory;
        this.tools = tools;
        try {
            Path parent = b.parentDirectory;
            if (parent != null) {
                Files.createDirectories(parent);
            }
            this.dir = parent == null ? Files.createTempDirectory("tornet-") : Files.createTempDirectory(parent, "tornet-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the network directory", e);
        }
        try {
            TorNode.createPrivateDir(dir);
            this.authority = new TorNode(AUTH_NICK, TorNode.createPrivateDir(dir.resolve("auth")));
            for (int i = 0; i < exitCount; i++) {
                exits.add(new TorNode(exitNickname(i), TorNode.createPrivateDir(dir.resolve("exit" + i))));
            }
            if (!keepDirectory) {
                sweepStaleDirectories(dir.getParent());
                writeOwnerPid();
            }
        } catch (RuntimeException e) {
            TorNode.deleteRecursively(dir);
            throw e;
        }
        ProcessReaper.register(this);
    }

    private void writeOwnerPid() {
        try {
            Files.writeString(dir.resolve(OWNER_FILE), Long.toString(pid), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deletes {@code tornet-*} directories left by JVMs that died without running their shutdown hooks (their tors
     * exited by themselves through {@code __OwningControllerProcess}). Kept directories have no owner file and stay.
     */
    private static void sweepStaleDirectories(Path parent) {
        try (var stream = Files.newDirectoryStream(parent, "tornet-*")) {
            for (Path d : stream) {
                Path owner = d.resolve(OWNER_FILE);
                try {
                    long ownerPid = Long.parseLong(Files.readString(owner, StandardCharsets.US_ASCII).trim());
                    if (ProcessHandle.of(ownerPid).map(ProcessHandle::isAlive).orElse(false)) {
                        continue;
                    }
                    LOG.info("deleting stale private Tor network directory {} (owner pid {} is gone)", d, ownerPid);
                    TorNode.deleteRecursively(d);
                } catch (IOException | NumberFormatException e) {
                    // not ours, kept, or being created right now
                }
            }
        } catch (IOException e) {
            // best effort
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code builder().exits(exits).start()}. */
    public static PrivateTorNetwork start(int exits) {
        return builder().exits(exits).start();
    }

    /** Options for {@link PrivateTorNetwork}; {@link #start()} blocks until the network is usable by clients. */
    public static final class Builder {
        private int exits = 3;
        private Duration bootstrapTimeout = Duration.ofSeconds(90);
        private boolean keepDirectory = Boolean.getBoolean(KEEP_PROPERTY);
        private Path parentDirectory;

        private Builder() {
        }

        /** Number of exit relays, 2..50 (default 3); exit i leaves from 127.0.0.{i+2}. */
        public Builder exits(int exits) {
            if (exits < 2 || exits > 50) {
                throw new IllegalArgumentException("exits must be 2..50, was " + exits);
            }
            this.exits = exits;
            return this;
        }

        /** Deadline from launching the authority until the consensus lists all relays (default 90 s). */
        public Builder bootstrapTimeout(Duration timeout) {
            this.bootstrapTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** Keep the directory (torrcs, logs) after close; default: system property {@value #KEEP_PROPERTY}. */
        public Builder keepDirectory(boolean keep) {
            this.keepDirectory = keep;
            return this;
        }

        /** Where to create the network's {@code tornet-*} directory (default: java.io.tmpdir). */
        public Builder parentDirectory(Path parent) {
            this.parentDirectory = parent;
            return this;
        }

        /**
         * Generates keys and torrcs, starts the authority and the exits and waits for a complete consensus.
         *
         * @throws TorNetworkException if tools are missing, a tor exits, or the deadline passes (with log tails); every
         *                             process started so far is stopped first
         */
        public PrivateTorNetwork start() {
            TorAvailability tools = TorAvailability.check().require();
            for (int attempt = 1; ; attempt++) {
                PrivateTorNetwork net = new PrivateTorNetwork(this, tools);
                try {
                    net.boot();
                    return net;
                } catch (PortClashException e) {
                    net.close();
                    if (attempt >= MAX_START_ATTEMPTS) {
                        throw new TorNetworkException("private Tor network: ports taken by someone else in "
                                + attempt + " attempts; last: " + e.getMessage());
                    }
                    LOG.warn("private Tor network: {}; retrying with new ports", e.getMessage());
                } catch (RuntimeException | Error e) {
                    net.close();
                    throw e;
                }
            }
        }
    }

    // ------------------------------------------------------------------ public API

    public int exitCount() {
        return exitCount;
    }

    /** Source address of exit {@code i}'s outgoing connections: 127.0.0.{i+2}. */
    public String exitSourceAddress(int exitIndex) {
        checkExit(exitIndex);
        return "127.0.0." + (exitIndex + 2);
    }

    /** Relay identity fingerprint of exit {@code i}: 40 upper-case hex digits, no {@code $}. */
    public String exitFingerprint(int exitIndex) {
        checkExit(exitIndex);
        return exitFingerprints.get(exitIndex);
    }

    public String exitNickname(int exitIndex) {
        return "tnexit" + exitIndex;
    }

    public String authorityFingerprint() {
        return authFingerprint;
    }

    /** The {@code DirAuthority ...} torrc line every node and client of this network needs. */
    public String dirAuthorityLine() {
        return "DirAuthority " + AUTH_NICK + " orport=" + authOrPort + " no-v2 v3ident=" + v3Ident
                + " 127.0.0.1:" + authDirPort + " " + authFingerprint;
    }

    /** 127.0.0.1 port of the authority's DirPort (serves e.g. /tor/status-vote/current/consensus-microdesc). */
    public int authorityDirPort() {
        return authDirPort;
    }

    /**
     * Everything a client tor needs to use this network with exit {@code exitIndex} pinned: append these lines to the
     * client's own torrc, which keeps owning SocksPort, ControlPort, DataDirectory, logging and
     * {@code __OwningControllerProcess}. Destinations should be IP literals: the exits cannot resolve names offline.
     */
    public List<String> clientTorrcLines(int exitIndex) {
        checkExit(exitIndex);
        return List.of(
                "TestingTorNetwork 1",
                dirAuthorityLine(),
                "ExitNodes $" + exitFingerprints.get(exitIndex),
                // conflux needs several exits; with one pinned exit it only logs "invalid selected path"
                "ConfluxEnabled 0");
    }

    /** The network's directory: {@code auth/}, {@code exitN/}, {@code clients/*}, each with torrc and logs. */
    public Path directory() {
        return dir;
    }

    /** Handles of the relay processes (authority first, then exits); clients are not included. */
    public List<ProcessHandle> processes() {
        List<ProcessHandle> all = new ArrayList<>();
        authority.handle().ifPresent(all::add);
        exits.forEach(e -> e.handle().ifPresent(all::add));
        return all;
    }

    /** Clients started on this network and not yet closed. */
    public List<TorClientProcess> clients() {
        return List.copyOf(clients);
    }

    /** Starts a {@link TorClientProcess} pinned to exit {@code exitIndex} (not yet ready: see awaitReady). */
    public TorClientProcess startClient(int exitIndex) {
        return TorClientProcess.start(this, exitIndex);
    }

    /** A shared {@link IpEchoProbe} on 127.0.0.1 (started on first use, closed with the network). */
    public synchronized IpEchoProbe ipEchoProbe() {
        ensureOpen();
        if (probe == null) {
            probe = IpEchoProbe.start();
        }
        return probe;
    }

    /** Time spent compiling the shim and generating keys before the first tor started. */
    public Duration preparationTime() {
        return preparationTime;
    }

    /** Time from launching the authority until the consensus listed every relay with its flags. */
    public Duration consensusTime() {
        return consensusTime;
    }

    /** The last {@code lines} lines of each relay's logs (and those of live clients), for failure messages. */
    public String logTails(int lines) {
        StringBuilder sb = new StringBuilder();
        sb.append(authority.describe(lines));
        exits.forEach(e -> sb.append(e.describe(lines)));
        return sb.toString();
    }

    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Stops the clients started on this network, then the exits and the authority (SIGTERM, SIGKILL after 5 s), and
     * deletes the directory unless told to keep it. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            List<TorClientProcess> cs = List.copyOf(clients);
            cs.forEach(TorClientProcess::terminate);
            exits.forEach(TorNode::terminate);
            authority.terminate();
            cs.forEach(TorClientProcess::close);
            exits.forEach(n -> n.awaitGone(5000));
            authority.awaitGone(5000);
            synchronized (this) {
                if (probe != null) {
                    probe.close();
                }
            }
        } finally {
            ProcessReaper.unregister(this);
            if (keepDirectory) {
                LOG.info("private Tor network closed; directory kept: {}", dir);
            } else {
                TorNode.deleteRecursively(dir);
            }
        }
    }

    // ------------------------------------------------------------------ package-private, for TorClientProcess

    TorAvailability tools() {
        return tools;
    }

    long ownerPid() {
        return pid;
    }

    void attach(TorClientProcess client) {
        ensureOpen();
        clients.add(client);
    }

    void detach(TorClientProcess client) {
        clients.remove(client);
    }

    String exitDescription(int exitIndex, int lines) {
        return exits.get(exitIndex).describe(lines);
    }

    void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("private Tor network is closed");
        }
    }

    // ------------------------------------------------------------------ start

    private void boot() {
        long t0 = System.nanoTime();
        allocatePorts();
        prepareKeysAndShim();
        writeTorrcs();
        long t1 = System.nanoTime();
        preparationTime = Duration.ofNanos(t1 - t0);
        long deadline = t1 + bootstrapTimeout.toNanos();

        authority.start(tools.tor(), Map.of());
        awaitAuthorityDirPort(deadline);
        for (int i = 0; i < exitCount; i++) {
            exits.get(i).start(tools.tor(), shimEnvironment(i));
        }
        awaitCompleteConsensus(deadline);
        consensusTime = Duration.ofNanos(System.nanoTime() - t1);
        LOG.info("private Tor network ready: 1 authority + {} exits, consensus complete {} ms after launch "
                        + "(preparation {} ms) in {}", exitCount, consensusTime.toMillis(), preparationTime.toMillis(), dir);
    }

    private void allocatePorts() {
        List<Integer> ports = freePorts(2 + exitCount);
        authOrPort = ports.get(0);
        authDirPort = ports.get(1);
        exitOrPorts.addAll(ports.subList(2, ports.size()));
    }

    /** Distinct free loopback ports (bound together, then released; a rare clash is retried by the builder). */
    private static List<Integer> freePorts(int n) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket();
                held.add(s);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                ports.add(s.getLocalPort());
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot allocate loopback ports", e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException e) {
                    // ignore
                }
            }
        }
    }

    /** Compiles the bind shim, creates the authority's v3 keys and every relay's identity, all in parallel. */
    private void prepareKeysAndShim() {
        List<PrepCommand> preps = new ArrayList<>();
        Path shimSource = dir.resolve("bindshim.c");
        try (InputStream in = PrivateTorNetwork.class.getResourceAsStream("bindshim.c")) {
            if (in == null) {
                throw new TorNetworkException("resource com/mexcpipe/testkit/tor/bindshim.c missing from the classpath");
            }
            Files.copy(in, shimSource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        preps.add(PrepCommand.start("gcc", dir, null, tools.compiler().toString(), "-shared", "-fPIC", "-O2",
                "-o", shimPath().toString(), shimSource.toString(), "-ldl"));

        Path keys = TorNode.createPrivateDir(authority.dir().resolve("keys"));
        preps.add(PrepCommand.start("tor-gencert", dir, "\n", tools.torGencert().toString(),
                "--create-identity-key", "--passphrase-fd", "0", "-m", "12",
                "-a", "127.0.0.1:" + authDirPort,
                "-i", keys.resolve("authority_identity_key").toString(),
                "-s", keys.resolve("authority_signing_key").toString(),
                "-c", keys.resolve("authority_certificate").toString()));
        List<TorNode> relays = new ArrayList<>();
        relays.add(authority);
        relays.addAll(exits);
        for (TorNode r : relays) {
            preps.add(PrepCommand.start("fingerprint-" + r.name(), dir, null, tools.tor().toString(),
                    "--ignore-missing-torrc", "-f", "/dev/null", "--defaults-torrc", "/dev/null",
                    "--DataDirectory", r.dir().toString(), "--ORPort", "1", "--list-fingerprint"));
        }
        try {
            for (PrepCommand p : preps) {
                p.await(Duration.ofSeconds(120));
            }
        } finally {
            preps.forEach(PrepCommand::kill);
        }
        v3Ident = readCertificateFingerprint(keys.resolve("authority_certificate"));
        authFingerprint = readFingerprint(authority);
        for (TorNode e : exits) {
            exitFingerprints.add(readFingerprint(e));
        }
    }

    private static String readCertificateFingerprint(Path cert) {
        try {
            for (String l : Files.readAllLines(cert, StandardCharsets.US_ASCII)) {
                if (l.startsWith("fingerprint ")) {
                    return l.substring("fingerprint ".length()).trim().toUpperCase(Locale.ROOT);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new TorNetworkException("no fingerprint line in " + cert);
    }

    /** {@code <DataDirectory>/fingerprint} holds "Unnamed 3D60C789…" after --list-fingerprint. */
    private static String readFingerprint(TorNode node) {
        Path f = node.dir().resolve("fingerprint");
        try {
            String[] parts = Files.readString(f, StandardCharsets.US_ASCII).trim().split("\\s+", 2);
            String fp = parts[parts.length - 1].replace(" ", "").toUpperCase(Locale.ROOT);
            if (!fp.matches("[0-9A-F]{40}")) {
                throw new TorNetworkException("unexpected fingerprint in " + f + ": " + fp);
            }
            return fp;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path shimPath() {
        return dir.resolve("bindshim.so");
    }

    private Map<String, String> shimEnvironment(int exitIndex) {
        Map<String, String> env = new HashMap<>();
        String existing = System.getenv("LD_PRELOAD");
        env.put("LD_PRELOAD", existing == null || existing.isBlank() ? shimPath().toString() : shimPath() + ":" + existing);
        env.put("TORNET_BIND_SRC", exitSourceAddress(exitIndex));
        return env;
    }

    private List<String> commonLines(TorNode node) {
        List<String> l = new ArrayList<>();
        l.add("TestingTorNetwork 1");
        l.add("DataDirectory " + node.dir());
        l.add("Nickname " + node.name());
        l.add("Log notice file " + node.noticeLog());
        l.add("SafeLogging 0");
        l.add("ShutdownWaitLength 0");
        l.add("__OwningControllerProcess " + pid);
        l.addAll(noGeoIpLines());
        l.add(dirAuthorityLine());
        l.add("SocksPort 0");
        l.add("Address 127.0.0.1");
        l.add("AssumeReachable 1");
        return l;
    }

    /** An empty GeoIP database: parsing the real one costs each tor about 0.5 CPU-seconds at start. */
    synchronized List<String> noGeoIpLines() {
        Path empty = dir.resolve("geoip-empty");
        try {
            if (!Files.exists(empty)) {
                Files.createFile(empty);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.of("GeoIPFile " + empty, "GeoIPv6File " + empty);
    }

    private void writeTorrcs() {
        List<String> a = commonLines(authority);
        a.addAll(List.of(
                "ORPort 127.0.0.1:" + authOrPort,
                "DirPort 127.0.0.1:" + authDirPort,
                "AuthoritativeDirectory 1",
                "V3AuthoritativeDirectory 1",
                "ContactInfo tnauth@test.invalid",
                "ExitRelay 0",
                "TestingV3AuthInitialVotingInterval 10",
                "TestingV3AuthInitialVoteDelay 2",
                "TestingV3AuthInitialDistDelay 2",
                "V3AuthVotingInterval 10",
                "V3AuthVoteDelay 2",
                "V3AuthDistDelay 2",
                "V3AuthNIntervalsValid 2",
                "TestingDirAuthVoteGuard *",
                "TestingDirAuthVoteExit " + String.join(",", exitFingerprints.stream().map(f -> "$" + f).toList()),
                "TestingMinExitFlagThreshold 0"));
        authority.writeTorrc(a);
        for (int i = 0; i < exitCount; i++) {
            TorNode e = exits.get(i);
            List<String> x = commonLines(e);
            x.addAll(List.of(
                    "ORPort 127.0.0.1:" + exitOrPorts.get(i),
                    "ContactInfo " + e.name() + "@test.invalid",
                    "ExitRelay 1",
                    "ExitPolicyRejectPrivate 0",
                    // "accept 127.0.0.0/8:*" alone yields a microdesc policy summary that rejects everything
                    "ExitPolicy accept *:*",
                    // ignored by tor for loopback destinations (the LD_PRELOAD shim handles those); effective for
                    // a server reached via a non-loopback local IP
                    "OutboundBindAddressExit " + exitSourceAddress(i),
                    "ServerDNSDetectHijacking 0",
                    "ServerDNSTestAddresses",
                    "ServerDNSAllowBrokenConfig 1",
                    // clients fetch directory info from the authority only: faster, ~55 MB less RSS per exit
                    "DirCache 0"));
            e.writeTorrc(x);
        }
    }

    private void awaitAuthorityDirPort(long deadline) {
        while (true) {
            checkNodesAlive();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), authDirPort), 500);
                return;
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw bootstrapFailure("the authority's DirPort 127.0.0.1:" + authDirPort + " never accepted a connection");
            }
            sleep(100);
        }
    }

    private void awaitCompleteConsensus(long deadline) {
        String missing = "no consensus yet";
        while (true) {
            checkNodesAlive();
            String consensus = Consensus.fetch(authDirPort);
            if (consensus != null) {
                missing = Consensus.missing(consensus, requiredRelays(), AUTH_NICK);
                if (missing.isEmpty()) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw bootstrapFailure("the consensus still lacks: " + missing);
            }
            sleep(500);
        }
    }

    /** Fingerprint to nickname of every relay the consensus must list: the authority, then the exits. */
    private Map<String, String> requiredRelays() {
        Map<String, String> required = new LinkedHashMap<>();
        required.put(authFingerprint, AUTH_NICK);
        for (int i = 0; i < exitCount; i++) {
            required.put(exitFingerprints.get(i), exitNickname(i));
        }
        return required;
    }

    private void checkNodesAlive() {
        List<TorNode> all = new ArrayList<>();
        all.add(authority);
        all.addAll(exits);
        for (TorNode n : all) {
            if (n.exitCode() != null) {
                if (n.diedOfPortClash()) {
                    throw new PortClashException(n.name() + " could not bind its port");
                }
                throw bootstrapFailure(n.name() + " exited with code " + n.exitCode() + " during start");
            }
        }
    }

    private TorNetworkException bootstrapFailure(String what) {
        return new TorNetworkException("private Tor network (1 authority + " + exitCount + " exits) did not bootstrap"
                + " within " + bootstrapTimeout.toSeconds() + " s: " + what + "\n" + logTails(LOG_TAIL_LINES));
    }

    private void checkExit(int exitIndex) {
        if (exitIndex < 0 || exitIndex >= exitCount) {
            throw new IndexOutOfBoundsException("exit index " + exitIndex + " not in 0.." + (exitCount - 1));
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TorNetworkException("interrupted", e);
        }
    }

    private static final class PortClashException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PortClashException(String message) {
            super(message);
        }
    }
}
