package com.mexcpipe.client;

import com.mexcpipe.client.rotation.InsertGate;
import com.mexcpipe.client.rotation.RotationParticipant;
import com.mexcpipe.client.status.ClientMetrics;
import com.mexcpipe.client.status.ClientStatus;
import com.mexcpipe.client.status.RouteStatus;
import com.mexcpipe.client.store.Batcher;
import com.mexcpipe.client.store.RowStore;
import com.mexcpipe.client.store.Spool;
import com.mexcpipe.client.transport.ExchangeSession;
import com.mexcpipe.client.transport.Route;
import com.mexcpipe.client.transport.SessionStats;
import com.mexcpipe.client.codec.FrameKind;
import com.mexcpipe.common.Json;
import com.mexcpipe.common.control.ControlFolder;
import com.mexcpipe.common.http.StatusHttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running collector: exchange session → decoder → batcher → store, with the rotation participant, the status
 * endpoint and the stats line. Started in dependency order; {@link #close()} stops the stream first, then
 * flushes or spools every row.
 */
public final class ClientRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClientRuntime.class);
    /** A client up this long without any frame is unhealthy. */
    static final Duration STALE_AFTER = Duration.ofMinutes(5);

    private final ClientConfig cfg;
    private final RowStore store;
    private final RouteStatus routeStatus;
    private final ClientRoute clientRoute;
    private final Clock clock;
    private final Instant startedAt;
    private final ScheduledExecutorService timer;
    private final Batcher batcher;
    private final RotationParticipant rotation;
    private final ExchangeSession session;
    private final ClientMetrics metrics;
    private final StatusHttpServer http;
    private long lastStatsRows;
    private long lastStatsAt;

    public ClientRuntime(ClientConfig cfg, RowStore store, ClientRoute clientRoute, Clock clock) throws IOException {
        this(cfg, store, clientRoute, clock, java.util.function.UnaryOperator.identity());
    }

    /**
     * @param gateWrapper wraps the batcher's pause/resume as the rotation sees it; identity in production (the
     *                    zero-loss soak's negative control uses one that claims to pause but does not)
     */
    public ClientRuntime(ClientConfig cfg, RowStore store, ClientRoute clientRoute, Clock clock,
            java.util.function.UnaryOperator<InsertGate> gateWrapper) throws IOException {
        this.cfg = cfg;
        this.store = store;
        this.clientRoute = clientRoute;
        this.routeStatus = clientRoute.status();
        Route route = clientRoute.route();
        this.clock = clock;
        this.startedAt = clock.instant();
        this.timer = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "client-timer");
            t.setDaemon(true);
            return t;
        });
        this.batcher = new Batcher(store, new Spool(cfg.spoolDir()), cfg.batcher());
        InsertGate gate = gateWrapper.apply(batcher);
        this.session = new ExchangeSession(cfg.session(), route, batcher::add, clock, timer);
        this.rotation = new RotationParticipant(ControlFolder.of(cfg.controlDir(), cfg.symbol().base()), gate, clock,
                cfg.pauseLease(), Duration.ofSeconds(30), Duration.ofSeconds(5), cfg.symbol().value(),
                () -> session.state().name().toLowerCase(Locale.ROOT));
        this.metrics = new ClientMetrics(cfg.symbol().value(), batcher::stats, session::stats,
                routeStatus::bootstrapPercent, routeStatus::ready);
        this.http = new StatusHttpServer(cfg.httpBind(), cfg.httpPort());
    }

    /** Starts everything; a pending rotation is answered before the first insert. */
    public ClientRuntime start() throws IOException {
        rotation.tick();
        batcher.start();
        rotation.start(cfg.controlPoll());
        http.route("/health", this::health)
                .route("/status", () -> StatusHttpServer.Response.json(200, json(status())))
                .route("/metrics", () -> new StatusHttpServer.Response(200, metrics.contentType(), metrics.scrape()))
                .start();
        clientRoute.attach(session, timer);
        session.start();
        lastStatsAt = System.nanoTime();
        timer.scheduleAtFixedRate(this::logStats, cfg.statsInterval().toMillis(), cfg.statsInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        log.info("client {} started: exchange {} via {}, {} -> table {}, status on http://{}:{}/status",
                cfg.symbol(), cfg.session().url(), session.route(), cfg.clickHouse(),
                cfg.clickHouse().table(cfg.symbol().currentTable()), cfg.httpBind(), http.port());
        return this;
    }

    public ExchangeSession session() {
        return session;
    }

    public Batcher batcher() {
        return batcher;
    }

    public RotationParticipant rotation() {
        return rotation;
    }

    public int httpPort() {
        return http.port();
    }

    public List<String> problems() {
        List<String> p = new ArrayList<>(routeStatus.problems());
        Batcher.Stats b = batcher.stats();
        if (b.blocked()) {
            p.add("memory buffer and spool are full: the stream is held");
        }
        if (b.lastErrorKind() != null && b.lastErrorKind().name().equals("FATAL")) {
            p.add("ClickHouse rejects inserts (needs an operator): " + b.lastError());
        }
        long lastFrame = session.stats().lastFrameAt();
        long now = clock.millis();
        if (now - startedAt.toEpochMilli() > STALE_AFTER.toMillis()
                && (lastFrame == 0 || now - lastFrame > STALE_AFTER.toMillis())) {
            p.add("no frame from the exchange for more than " + STALE_AFTER.toMinutes() + " minutes");
        }
        return p;
    }

    private StatusHttpServer.Response health() {
        List<String> p = problems();
        return p.isEmpty() ? StatusHttpServer.Response.text(200, "ok\n")
                : StatusHttpServer.Response.text(503, "unhealthy: " + String.join("; ", p) + "\n");
    }

    public ClientStatus status() {
        SessionStats s = session.stats();
        Batcher.Stats b = batcher.stats();
        RotationParticipant.View r = rotation.view();
        long now = clock.millis();
        Map<String, String> live = new LinkedHashMap<>();
        live.put("ticker", iso(s.tickerLiveAt()));
        live.put("deal", iso(s.dealLiveAt()));
        live.put("depth.full", iso(s.depthLiveAt()));
        Map<String, Long> frames = new LinkedHashMap<>();
        for (FrameKind k : FrameKind.values()) {
            frames.put(k.name().toLowerCase(Locale.ROOT), s.frames(k));
        }
        List<String> problems = problems();
        double elapsed = Math.max(1, (now - startedAt.toEpochMilli()) / 1000.0);
        return new ClientStatus(cfg.symbol().value(), cfg.symbol().base(),
                session.state().name().toLowerCase(Locale.ROOT), problems.isEmpty(), problems, session.route(),
                iso(s.connectedSince()), s.lastFrameAt() == 0 ? null : now - s.lastFrameAt(), live,
                new ClientStatus.Exchange(s.connects(), s.reconnects(), s.connectFailures(), s.newCircuits(),
                        s.silenceDrops(), s.pingsSent(), frames, s.binaryFrames(), s.lastError(), s.lastClose(),
                        s.lastExchangeError()),
                new ClientStatus.Rows(b.added().byLabel(), b.acked().byLabel(), b.ackedThisPeriod().byLabel(),
                        Math.round(b.added().total() / elapsed * 10) / 10.0),
                new ClientStatus.Store(cfg.clickHouse().endpoint() + "/" + cfg.clickHouse().database() + "."
                        + cfg.symbol().currentTable(), b.bufferedRows(), b.spooledRows(), b.spoolBytes(), b.inserts(),
                        b.insertFailures(), b.consecutiveFailures(), b.lastError(),
                        b.lastErrorKind() == null ? null : b.lastErrorKind().name(), b.lastInsertMillis(),
                        b.maxInsertMillis(), iso(b.lastAckAtMillis()), b.paused(), b.blocked()),
                new ClientStatus.Rotation(r.phase().name().toLowerCase(Locale.ROOT), r.rotationId(),
                        r.leaseUntil() == null ? null : r.leaseUntil().toString(), r.lastRotationId(),
                        r.lastResumedAt() == null ? null : r.lastResumedAt().toString(), r.lastResumeReason(),
                        r.rotations(), r.leaseExpiries(), r.countsSince().toString(), r.countsComplete()),
                routeStatus.torView(), routeStatus.exitView());
    }

    private static String iso(long epochMs) {
        return epochMs <= 0 ? null : Instant.ofEpochMilli(epochMs).toString();
    }

    static byte[] json(Object o) {
        try {
            return Json.MAPPER.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void logStats() {
        try {
            Batcher.Stats b = batcher.stats();
            SessionStats s = session.stats();
            long rows = b.added().total();
            long nowNs = System.nanoTime();
            double rate = (rows - lastStatsRows) / Math.max(0.001, (nowNs - lastStatsAt) / 1e9);
            lastStatsRows = rows;
            lastStatsAt = nowNs;
            long age = s.lastFrameAt() == 0 ? -1 : clock.millis() - s.lastFrameAt();
            log.info("stats {}: rows t={} d={} dp={} dl={} ({}/s) stored={} buffered={} spooled={} insert last={}ms "
                    + "max={}ms failures={} reconnects={} state={} last-frame={}ms{}", cfg.symbol(), b.added().t(),
                    b.added().d(), b.added().dp(), b.added().dl(), String.format(Locale.ROOT, "%.1f", rate),
                    b.acked().total(), b.bufferedRows(), b.spooledRows(), b.lastInsertMillis(), b.maxInsertMillis(),
                    b.insertFailures(), s.reconnects(), session.state().name().toLowerCase(Locale.ROOT), age,
                    b.paused() ? " PAUSED" : "");
        } catch (RuntimeException e) {
            log.warn("stats line failed", e);
        }
    }

    @Override
    public void close() throws Exception {
        log.info("client {} shutting down", cfg.symbol());
        try {
            session.close();
        } finally {
            try {
                rotation.close();
            } finally {
                try {
                    long spooled = batcher.close(cfg.shutdownFlush());
                    Batcher.Stats b = batcher.stats();
                    log.info("client {} stopped: {} rows decoded, {} stored, {} spooled for the next start",
                            cfg.symbol(), b.added().total(), b.acked().total(), spooled);
                } finally {
                    http.close();
                    timer.shutdownNow();
                    store.close();
                }
            }
        }
    }
}
