package com.mexcpipe.client.tor;

import com.fasterxml.jackson.databind.JsonNode;
import com.mexcpipe.common.Json;
import com.mexcpipe.common.Symbol;
import com.mexcpipe.common.control.ControlFolder;
import com.mexcpipe.common.control.Flags;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns this client's exit IP (an IP-echo URL fetched through the SOCKS port with the current epoch's credentials,
 * so it rides the exchange connection's circuit; plus the exit relay of that circuit from the control port),
 * publishes it in {@code control/<base>/exit.json}, and compares it with the other clients' published exits. On a
 * clash the client whose symbol sorts later yields: it excludes that exit relay, takes a new circuit and reconnects,
 * bounded and backed off, and reports the clash until it is resolved. Re-checks after every connect and every
 * {@code interval}.
 */
public final class ExitMonitor {
    private static final Logger log = LoggerFactory.getLogger(ExitMonitor.class);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:]{2,39}");
    static final int MAX_ATTEMPTS = 6;

    /** What {@code exit.json} holds. */
    public record Exit(String symbol, String base, String ip, String country, Instant checkedAt, long epoch,
            String relayFingerprint, String relayNickname, String relayAddress, String echoUrl) {
    }

    public record Clash(String with, String ip, Instant since, boolean weYield, int attempts, Instant nextAttemptAt) {
    }

    public record View(Exit exit, Clash clash, long checks, String lastError, String lastErrorAt) {
    }

    private final Symbol symbol;
    private final Path controlRoot;
    private final ControlFolder own;
    private final TorSupervisor tor;
    private final URI echoUrl;
    private final String exchangeTarget;
    private final Clock clock;
    private final Duration interval;
    private final Consumer<String> reconnect;
    private final java.util.function.LongSupplier epoch;

    private volatile Exit exit;
    private volatile Clash clash;
    private volatile long checks;
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private ScheduledExecutorService timer;

    public ExitMonitor(Symbol symbol, Path controlRoot, TorSupervisor tor, URI echoUrl, URI exchange, Clock clock,
            Duration interval, java.util.function.LongSupplier epoch, Consumer<String> reconnect) {
        this.symbol = symbol;
        this.controlRoot = controlRoot;
        this.own = ControlFolder.of(controlRoot, symbol.base());
        this.tor = tor;
        this.echoUrl = echoUrl;
        int port = exchange.getPort() > 0 ? exchange.getPort() : ("wss".equals(exchange.getScheme()) ? 443 : 80);
        this.exchangeTarget = exchange.getHost() + ":" + port;
        this.clock = clock;
        this.interval = interval;
        this.epoch = epoch;
        this.reconnect = reconnect;
    }

    public ExitMonitor start(ScheduledExecutorService timer) {
        this.timer = timer;
        timer.scheduleWithFixedDelay(this::checkQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** After each (re)connect: check soon, once the exchange stream is up. */
    public void connected(long ignoredEpoch) {
        if (timer != null) {
            timer.schedule(this::checkQuietly, 1500, TimeUnit.MILLISECONDS);
        }
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            log.warn("exit check failed", e);
        }
    }

    /** One check: learn, publish, compare, act. */
    public synchronized void check() {
        if (!tor.ready()) {
            return;
        }
        checks++;
        String ip;
        try {
            SocksHttp.Response r = SocksHttp.get(echoUrl, tor.proxy(), 20_000, null);
            if (r.status() != 200) {
                throw new IOException("HTTP " + r.status() + " from " + echoUrl);
            }
            ip = parseIp(r.body());
        } catch (IOException | RuntimeException e) {
            lastError = "IP echo " + echoUrl + ": " + e;
            lastErrorAt = clock.instant();
            log.warn("could not learn the exit IP: {}", lastError);
            return;
        }
        TorControl.Relay relay = null;
        String country = null;
        TorControl c = tor.control();
        if (c != null) {
            country = c.country(ip);
            try {
                relay = c.exitFor(exchangeTarget).orElse(null);
            } catch (IOException e) {
                log.debug("circuit lookup failed", e);
            }
        }
        Exit previous = exit;
        exit = new Exit(symbol.value(), symbol.base(), ip, country, clock.instant(), epoch.getAsLong(),
                relay == null ? null : relay.fingerprint(), relay == null ? null : relay.nickname(),
                relay == null ? null : relay.address(), echoUrl.toString());
        try {
            own.write(Flags.EXIT, exit);
        } catch (IOException e) {
            log.error("cannot publish {}: {}", own.file(Flags.EXIT), e.toString());
        }
        if (previous == null || !previous.ip().equals(ip)) {
            log.info("exit IP {} ({}) (relay {}), published to {}", ip, country, relay == null ? "unknown" : relay.nickname() + " $"
                    + relay.fingerprint(), own.file(Flags.EXIT));
        }
        compare();
    }

    private void compare() {
        Instant now = clock.instant();
        Optional<Exit> other = liveOthers().stream().filter(o -> o.ip().equals(exit.ip())).findFirst();
        if (other.isEmpty()) {
            if (clash != null) {
                log.info("exit clash with {} resolved: our exit is now {}", clash.with(), exit.ip());
            }
            clash = null;
            return;
        }
        String with = other.get().symbol();
        boolean weYield = symbol.value().compareTo(with) > 0;
        Clash c = clash;
        if (c == null || !c.with().equals(with) || !c.ip().equals(exit.ip())) {
            c = new Clash(with, exit.ip(), now, weYield, 0, now);
            log.warn("EXIT CLASH: {} and {} both leave from {}; {}", symbol, with, exit.ip(),
                    weYield ? "this client takes a new circuit" : with + " takes a new circuit");
        }
        if (weYield && c.attempts() < MAX_ATTEMPTS && !now.isBefore(c.nextAttemptAt())) {
            int n = c.attempts() + 1;
            Duration wait = Duration.ofSeconds(Math.min(600, 15L << (n - 1)));
            c = new Clash(with, exit.ip(), c.since(), true, n, now.plus(wait));
            String reason = "exit clash with " + with + " on " + exit.ip();
            if (exit.relayFingerprint() != null) {
                tor.avoidExit(exit.relayFingerprint(), reason);
            } else {
                tor.newCircuit(reason);
            }
            reconnect.accept(reason + " (attempt " + n + " of " + MAX_ATTEMPTS + ")");
        } else if (weYield && c.attempts() >= MAX_ATTEMPTS) {
            log.error("EXIT CLASH with {} on {} persists after {} new circuits; still reporting it", with, exit.ip(),
                    MAX_ATTEMPTS);
        }
        clash = c;
    }

    /** Other clients whose published exit is recent and whose heartbeat is alive. */
    List<Exit> liveOthers() {
        List<Exit> out = new ArrayList<>();
        Instant now = clock.instant();
        Duration fresh = interval.multipliedBy(2).plusMinutes(1);
        try (Stream<Path> dirs = Files.list(controlRoot)) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                String name = d.getFileName().toString();
                if (name.startsWith(".") || name.equals(symbol.base()) || !Files.isDirectory(d)) {
                    continue;
                }
                ControlFolder f = new ControlFolder(d);
                Optional<Exit> e = f.read(Flags.EXIT, Exit.class);
                Optional<Flags.Heartbeat> hb = f.read(Flags.HEARTBEAT, Flags.Heartbeat.class);
                if (e.isPresent() && e.get().ip() != null && e.get().checkedAt().isAfter(now.minus(fresh))
                        && hb.isPresent() && hb.get().alive(now, java.time.Duration.ofSeconds(60))) {
                    out.add(e.get());
                }
            }
        } catch (IOException e) {
            log.debug("cannot list {}", controlRoot, e);
        }
        return out;
    }

    static String parseIp(String body) throws IOException {
        String t = body.trim();
        String ip = t;
        if (t.startsWith("{")) {
            JsonNode n = Json.MAPPER.readTree(t);
            ip = null;
            for (String k : List.of("IP", "ip", "origin", "address")) {
                if (n.hasNonNull(k)) {
                    ip = n.get(k).asText();
                    break;
                }
            }
            if (ip == null) {
                throw new IOException("no IP in " + t);
            }
        }
        ip = ip.trim();
        if (!IPV4.matcher(ip).matches() && !(ip.contains(":") && IPV6.matcher(ip).matches())) {
            throw new IOException("not an IP address: '" + (ip.length() > 80 ? ip.substring(0, 80) : ip) + "'");
        }
        return ip;
    }

    public View view() {
        return new View(exit, clash, checks, lastError, lastErrorAt == null ? null : lastErrorAt.toString());
    }

    public Optional<Clash> unresolvedClash() {
        return Optional.ofNullable(clash);
    }

}
