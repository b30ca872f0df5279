package com.mexcpipe.client.tor;

import com.mexcpipe.client.ClientConfig;
import com.mexcpipe.client.transport.Route;
import com.mexcpipe.common.cli.UnavailableException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import com.mexcpipe.client.transport.SocksRoute;
import com.mexcpipe.common.AtomicFiles;
import org.java_websocket.client.WebSocketClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's own tor: writes its torrc, starts it, authenticates on its control port with the cookie, waits for
 * bootstrap (progress logged, bounded; a tor stuck past the timeout is restarted), restarts a tor that dies, and is
 * the {@link Route} the exchange connection takes: SOCKS5 on 127.0.0.1 with remote DNS and per-epoch credentials.
 * Fail closed: until tor is ready the route is not ready, and nothing connects directly.
 */
public final class TorSupervisor implements Route, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TorSupervisor.class);
    private static final Logger torLog = LoggerFactory.getLogger("tor");

    public enum State { STARTING, BOOTSTRAPPING, READY, RESTARTING, STOPPED }

    /** For {@code /status}. */
    public record View(boolean enabled, String state, int bootstrapPercent, String bootstrapSummary, String version,
            long pid, int socksPort, int controlPort, long restarts, long newnyms, String lastNewnymAt,
            String lastNewnymReason, List<String> excludedExits, List<String> exitCountries, String readySince,
            String lastError) {
    }

    private final ClientConfig.Tor cfg;
    private final Clock clock;
    private final SocksRoute socks;
    private final Thread thread;
    private final Object lock = new Object();

    private volatile State state = State.STARTING;
    private volatile int percent;
    private volatile String summary = "";
    private volatile String version;
    private volatile Process process;
    private volatile TorControl control;
    private volatile boolean closed;
    private volatile long restarts;
    private volatile long newnyms;
    private volatile Instant lastNewnymAt;
    private volatile String lastNewnymReason;
    private volatile Instant readySince;
    private volatile String lastError;
    /** Exits this client avoids (clash or refusal), oldest first; bounded and expiring so they never pile up. */
    private final java.util.LinkedHashMap<String, Instant> excludedExits = new java.util.LinkedHashMap<>();
    static final int MAX_EXCLUDED = 8;
    static final Duration EXCLUSION_TTL = Duration.ofHours(1);
    private final String exchangeTarget;

    public TorSupervisor(ClientConfig.Tor cfg, String base, Clock clock, SSLContext tls) {
        this(cfg, base, clock, tls, null);
    }

    /** @param exchange the exchange URL, to find the circuit carrying it when the exchange refuses an exit */
    public TorSupervisor(ClientConfig.Tor cfg, String base, Clock clock, SSLContext tls, java.net.URI exchange) {
        this.cfg = cfg;
        this.clock = clock;
        this.socks = new SocksRoute(cfg.socksPort(), "mexc-" + base, tls);
        this.exchangeTarget = exchange == null ? null : exchange.getHost() + ":"
                + (exchange.getPort() > 0 ? exchange.getPort() : "wss".equals(exchange.getScheme()) ? 443 : 80);
        this.thread = new Thread(this::supervise, "tor-supervisor");
        this.thread.setDaemon(true);
    }

    /** Checks the tor binary, prepares the data directory and starts supervising. */
    public TorSupervisor start() throws IOException {
        if (!Files.isExecutable(cfg.torPath())) {
            throw new UnavailableException("tor not found or not executable at " + cfg.torPath()
                    + " (TOR_PATH); refusing to connect without Tor (set TOR_ENABLED=false only for development)");
        }
        Files.createDirectories(cfg.dataDir());
        try {
            Files.setPosixFilePermissions(cfg.dataDir(), PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX filesystem
        }
        thread.start();
        return this;
    }

    private void supervise() {
        long backoffMs = 1000;
        while (!closed) {
            try {
                launch();
                Instant started = clock.instant();
                int lastLogged = -1;
                while (!closed && process.isAlive()) {
                    if (control == null) {
                        control = tryControl();
                    }
                    if (control != null) {
                        TorControl.Bootstrap b = control.bootstrap();
                        percent = b.percent();
                        summary = b.summary();
                        if (b.percent() != lastLogged) {
                            log.info("tor bootstrap {}%: {}", b.percent(), b.summary());
                            lastLogged = b.percent();
                        }
                        if (b.percent() >= 100 && state != State.READY) {
                            state = State.READY;
                            readySince = clock.instant();
                            backoffMs = 1000;
                            log.info("tor ready: SOCKS 127.0.0.1:{} (remote DNS), control 127.0.0.1:{}",
                                    cfg.socksPort(), cfg.controlPort());
                            synchronized (lock) {
                                lock.notifyAll();
                            }
                        }
                    }
                    if (state != State.READY && clock.instant().isAfter(started.plus(cfg.bootstrapTimeout()))) {
                        lastError = "bootstrap stuck at " + percent + "% (" + summary + ") after "
                                + cfg.bootstrapTimeout().toSeconds() + " s";
                        log.error("tor {}; restarting it", lastError);
                        break;
                    }
                    TimeUnit.MILLISECONDS.sleep(state == State.READY ? 2000 : 500);
                }
                if (closed) {
                    break;
                }
                if (!process.isAlive()) {
                    lastError = "tor exited with code " + process.exitValue();
                    log.error("{}; restarting it in {} ms", lastError, backoffMs);
                }
            } catch (InterruptedException e) {
                break;
            } catch (IOException | RuntimeException e) {
                lastError = e.toString();
                log.error("tor supervision: {}; restarting tor in {} ms", e.toString(), backoffMs);
            }
            stopTor();
            state = State.RESTARTING;
            restarts++;
            try {
                TimeUnit.MILLISECONDS.sleep(backoffMs);
            } catch (InterruptedException e) {
                break;
            }
            backoffMs = Math.min(backoffMs * 2, 60_000);
        }
        stopTor();
        state = State.STOPPED;
    }

    private void launch() throws IOException {
        state = State.BOOTSTRAPPING;
        percent = 0;
        summary = "starting";
        control = null;
        Path torrc = cfg.dataDir().resolve("torrc");
        AtomicFiles.writeString(torrc, String.join("\n", Torrc.lines(cfg, ProcessHandle.current().pid())) + "\n");
        Path empty = cfg.dataDir().resolve("torrc-defaults");
        AtomicFiles.write(empty, new byte[0]);
        Files.deleteIfExists(cfg.dataDir().resolve("control_auth_cookie"));
        List<String> cmd = new ArrayList<>(List.of(cfg.torPath().toString(), "-f", torrc.toString(),
                "--defaults-torrc", empty.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        process = pb.start();
        log.info("started tor (pid {}) with {}", process.pid(), torrc);
        Process p = process;
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    torLog.info("{}", line);
                }
            } catch (IOException ignored) {
                // tor exited
            }
        }, "tor-output");
        pump.setDaemon(true);
        pump.start();
    }

    private TorControl tryControl() {
        Path cookie = cfg.dataDir().resolve("control_auth_cookie");
        if (!Files.exists(cookie)) {
            return null;
        }
        try {
            TorControl c = TorControl.open(cfg.controlPort(), cookie, 2000);
            version = c.version();
            if (!excludedExits.isEmpty()) {
                c.setConf("ExcludeExitNodes", exclusions());
            }
            log.info("tor {} control port authenticated (cookie)", version);
            return c;
        } catch (IOException e) {
            lastError = "control port: " + e;
            return null;
        }
    }

    private void stopTor() {
        TorControl c = control;
        control = null;
        if (c != null) {
            c.close();
        }
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (state == State.READY) {
            state = State.RESTARTING;
        }
        readySince = null;
    }

    // ---- Route

    @Override
    public void configure(WebSocketClient socket, long epoch) {
        socks.configure(socket, epoch); // the exit resolves the exchange's hostname; never looked up locally
    }

    @Override
    public boolean awaitReady(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (lock) {
            while (state != State.READY && !closed) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.min(left, 1000));
            }
        }
        return state == State.READY;
    }

    @Override
    public void newCircuit(String reason) {
        TorControl c = control;
        lastNewnymAt = clock.instant();
        lastNewnymReason = reason;
        newnyms++;
        if (c == null) {
            log.warn("new circuit wanted ({}) but tor's control port is not connected; the next epoch's SOCKS "
                    + "credentials still isolate the next connection", reason);
            return;
        }
        try {
            c.newnym();
        } catch (IOException e) {
            log.warn("SIGNAL NEWNYM failed: {}", e.toString());
        }
    }

    @Override
    public void exitRefused(String reason) {
        TorControl c = control;
        if (c != null && exchangeTarget != null) {
            try {
                java.util.Optional<TorControl.Relay> exit = c.exitFor(exchangeTarget);
                if (exit.isPresent()) {
                    avoidExit(exit.get().fingerprint(), reason);
                    return;
                }
            } catch (IOException e) {
                log.debug("circuit lookup failed", e);
            }
        }
        newCircuit(reason);
    }

    /** Avoid this exit relay for a while (exit clash, refusal): ExcludeExitNodes, then a new circuit. */
    public void avoidExit(String fingerprint, String reason) {
        Instant now = clock.instant();
        synchronized (excludedExits) {
            excludedExits.values().removeIf(at -> at.plus(EXCLUSION_TTL).isBefore(now));
            excludedExits.remove(fingerprint);
            excludedExits.put(fingerprint, now);
            while (excludedExits.size() > MAX_EXCLUDED) {
                excludedExits.remove(excludedExits.keySet().iterator().next());
            }
        }
        log.warn("avoiding exit relay ${} ({})", fingerprint, reason);
        TorControl c = control;
        if (c != null) {
            try {
                c.setConf("ExcludeExitNodes", exclusions());
            } catch (IOException e) {
                log.warn("SETCONF ExcludeExitNodes failed: {}", e.toString());
            }
        }
        newCircuit(reason);
    }

    private String exclusions() {
        synchronized (excludedExits) {
            return String.join(",", excludedExits.keySet().stream().map(f -> "$" + f).toList());
        }
    }

    @Override
    public String describe() {
        return "tor socks 127.0.0.1:" + cfg.socksPort();
    }

    public Proxy proxy() {
        return socks.proxy();
    }

    public TorControl control() {
        return control;
    }

    public boolean ready() {
        return state == State.READY;
    }

    public int bootstrapPercent() {
        return percent;
    }

    public View view() {
        Process p = process;
        List<String> excluded;
        synchronized (excludedExits) {
            excluded = List.copyOf(excludedExits.keySet());
        }
        return new View(true, state.name().toLowerCase(java.util.Locale.ROOT), percent, summary, version,
                p == null ? -1 : p.pid(), cfg.socksPort(), cfg.controlPort(), restarts, newnyms,
                lastNewnymAt == null ? null : lastNewnymAt.toString(), lastNewnymReason, excluded, cfg.exitCountries(),
                readySince == null ? null : readySince.toString(), lastError);
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.interrupt();
        thread.join(15_000);
        stopTor();
        synchronized (lock) {
            lock.notifyAll();
        }
    }
}
