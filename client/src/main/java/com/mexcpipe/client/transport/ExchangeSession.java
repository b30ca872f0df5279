package com.mexcpipe.client.transport;

import com.mexcpipe.client.codec.FrameDecoder;
import com.mexcpipe.client.codec.FrameKind;
import com.mexcpipe.client.codec.RowSink;
import com.mexcpipe.client.store.Backoff;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.java_websocket.framing.CloseFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the exchange connection: connects through the {@link Route}, subscribes ticker, deal and depth.full for the
 * symbol on every connect, pings every {@code pingInterval} whatever the traffic, treats silence as a dead
 * connection, and reconnects with capped exponential backoff and full jitter. Frames are decoded on the socket's
 * thread and handed to the {@link RowSink}. A refusal (rs.error, HTTP 403/429) or repeated failures ask the route
 * for a new circuit.
 */
public final class ExchangeSession implements AutoCloseable, MexcSocket.Events {
    private static final Logger log = LoggerFactory.getLogger(ExchangeSession.class);
    private static final Pattern REFUSED_STATUS = Pattern.compile("\\b(403|429)\\b");

    public enum State { STARTING, WAITING_FOR_ROUTE, CONNECTING, CONNECTED, BACKING_OFF, CLOSED }

    /** Called after each successful connect (e.g. to re-check the exit IP). */
    public interface ConnectListener {
        void connected(long epoch);
    }

    private final SessionConfig cfg;
    private final Route route;
    private final RowSink sink;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final FrameDecoder decoder = new FrameDecoder();
    private final SessionStats stats = new SessionStats();
    private final Backoff backoff;
    private final List<ConnectListener> listeners = new ArrayList<>();
    private final AtomicLong epochs = new AtomicLong();
    private final Thread loop;

    private volatile State state = State.STARTING;
    private volatile MexcSocket current;
    private volatile boolean closed;
    private volatile String refusal;
    private volatile boolean refusalHandled;
    private int consecutiveFailures;
    private ScheduledFuture<?> pinger;
    private ScheduledFuture<?> watchdog;

    public ExchangeSession(SessionConfig cfg, Route route, RowSink sink, Clock clock, ScheduledExecutorService timer) {
        this.cfg = cfg;
        this.route = route;
        this.sink = sink;
        this.clock = clock;
        this.timer = timer;
        this.backoff = new Backoff(cfg.reconnectMin(), cfg.reconnectMax(), () -> ThreadLocalRandom.current().nextDouble());
        this.loop = new Thread(this::run, "exchange-" + cfg.symbol().base());
        this.loop.setDaemon(true);
    }

    public ExchangeSession onConnect(ConnectListener l) {
        listeners.add(l);
        return this;
    }

    public ExchangeSession start() {
        pinger = timer.scheduleAtFixedRate(this::ping, cfg.pingInterval().toMillis(), cfg.pingInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        long tick = Math.max(100, Math.min(1000, cfg.silenceTimeout().toMillis() / 4));
        watchdog = timer.scheduleAtFixedRate(this::watch, tick, tick, TimeUnit.MILLISECONDS);
        loop.start();
        return this;
    }

    public State state() {
        return state;
    }

    public SessionStats stats() {
        return stats;
    }

    /** The epoch of the current (or last) connection attempt. */
    public long currentEpoch() {
        return epochs.get();
    }

    public String route() {
        return route.describe();
    }

    /** Closes the current connection now (it will reconnect); for refusals and operator actions. */
    public void dropConnection(String why) {
        MexcSocket s = current;
        if (s != null) {
            log.info("closing the exchange connection (epoch {}): {}", s.epoch, why);
            s.closeConnection(CloseFrame.ABNORMAL_CLOSE, why);
        }
    }

    private void run() {
        while (!closed) {
            try {
                state = State.WAITING_FOR_ROUTE;
                if (!route.awaitReady(Duration.ofSeconds(30))) {
                    continue;
                }
                if (closed) {
                    break;
                }
                connectOnce();
                if (closed) {
                    break;
                }
                state = State.BACKING_OFF;
                Duration delay = backoff.next();
                log.info("reconnecting to {} in {} ms (attempt {})", cfg.url(), delay.toMillis(), backoff.attempts());
                sleep(delay);
            } catch (InterruptedException e) {
                if (closed) {
                    break;
                }
            } catch (RuntimeException e) {
                log.error("exchange session error, reconnecting", e);
                try {
                    sleep(backoff.next());
                } catch (InterruptedException ie) {
                    break;
                }
            }
        }
        state = State.CLOSED;
    }

    private void connectOnce() throws InterruptedException {
        long epoch = epochs.incrementAndGet();
        refusal = null;
        refusalHandled = false;
        MexcSocket s = new MexcSocket(cfg.url(), (int) cfg.connectTimeout().toMillis(), epoch, this);
        route.configure(s, epoch);
        state = State.CONNECTING;
        stats.connectAttempts.incrementAndGet();
        boolean ok = s.connectBlocking(cfg.connectTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
        if (!ok || closed) {
            s.closeConnection(CloseFrame.ABNORMAL_CLOSE, "connect failed");
            s.done.await(5, TimeUnit.SECONDS);
            String why = s.lastError != null ? s.lastError : "no connection within " + cfg.connectTimeout().toSeconds() + " s";
            connectionFailed(why, refusal != null);
            return;
        }
        long openedAt = s.openedAt;
        s.done.await();
        current = null;
        long lived = clock.millis() - openedAt;
        if (lived >= cfg.stableAfter().toMillis() && refusal == null) {
            backoff.reset();
            consecutiveFailures = 0;
        } else if (refusal != null) {
            connectionFailed(refusal, true);
        }
    }

    private void connectionFailed(String why, boolean refused) {
        consecutiveFailures++;
        stats.connectFailures.incrementAndGet();
        stats.lastError = why;
        if (refused && refusalHandled) {
            log.warn("refused ({}); new circuit already requested", why);
        } else if (refused) {
            log.warn("taking a new circuit (refused: {})", why);
            stats.newCircuits.incrementAndGet();
            route.exitRefused("refused: " + why);
        } else if (consecutiveFailures % cfg.newCircuitAfter() == 0) {
            String reason = consecutiveFailures + " failed connections, last: " + why;
            log.warn("taking a new circuit ({})", reason);
            stats.newCircuits.incrementAndGet();
            route.newCircuit(reason);
        } else {
            log.warn("connection to {} failed ({} in a row): {}", cfg.url(), consecutiveFailures, why);
        }
    }

    private void sleep(Duration d) throws InterruptedException {
        Thread.sleep(Math.max(0, d.toMillis()));
    }

    // ---- socket events (socket thread)

    @Override
    public void opened(MexcSocket s) {
        long now = clock.millis();
        s.openedAt = now;
        current = s;
        stats.lastFrameAt = now;
        stats.connectedSince = now;
        stats.resetSubscriptions();
        String sym = cfg.symbol().value();
        s.send("{\"method\":\"sub.ticker\",\"param\":{\"symbol\":\"" + sym + "\"},\"gzip\":false}");
        s.send("{\"method\":\"sub.deal\",\"param\":{\"symbol\":\"" + sym + "\"},\"gzip\":false}");
        s.send("{\"method\":\"sub.depth.full\",\"param\":{\"symbol\":\"" + sym + "\",\"limit\":" + cfg.depthLimit()
                + "},\"gzip\":false}");
        state = State.CONNECTED;
        stats.connects.incrementAndGet();
        log.info("connected to {} via {} (epoch {}), subscribed ticker, deal, depth.full({}) for {}", cfg.url(),
                route.describe(), s.epoch, cfg.depthLimit(), sym);
        for (ConnectListener l : listeners) {
            try {
                l.connected(s.epoch);
            } catch (RuntimeException e) {
                log.warn("connect listener failed", e);
            }
        }
    }

    @Override
    public void text(MexcSocket s, String frame) {
        long now = clock.millis();
        stats.lastFrameAt = now;
        handled(decoder.decodeText(frame, now, sink), now);
    }

    @Override
    public void binary(MexcSocket s, ByteBuffer frame) {
        long now = clock.millis();
        stats.lastFrameAt = now;
        stats.binaryFrames.incrementAndGet();
        handled(decoder.decodeBinary(frame, now, sink), now);
    }

    private void handled(FrameKind kind, long now) {
        stats.count(kind, now);
        if (decoder.internalError() != null) {
            log.error("decoder bug: the frame was kept as a dl row", decoder.internalError());
        }
        if (kind == FrameKind.ERROR) {
            String text = decoder.errorText();
            stats.lastExchangeError = text;
            if (text != null && text.toLowerCase(Locale.ROOT).contains("no response")) {
                log.warn("exchange closed for lack of pings: {}", text);
            } else {
                log.error("exchange refused: {}", text);
                refusal = "rs.error: " + text;
                refusalHandled = true;
                stats.newCircuits.incrementAndGet();
                route.exitRefused("exchange refused: " + text); // while the stream is open, its exit can be found
                dropConnection("exchange refused: " + text);
            }
        }
    }

    @Override
    public void closed(MexcSocket s, int code, String reason, boolean remote) {
        if (s.openedAt > 0) {
            log.warn("exchange connection closed (epoch {}, code {}, {}, by {})", s.epoch, code, reason,
                    remote ? "server" : "client");
            stats.lastClose = code + " " + reason;
        }
        if (reason != null && s.openedAt == 0) {
            Matcher m = REFUSED_STATUS.matcher(reason);
            if (reason.contains("status") && m.find()) {
                refusal = "HTTP " + m.group(1) + " on upgrade";
            }
            if (s.lastError == null) {
                s.lastError = reason;
            }
        }
    }

    @Override
    public void error(MexcSocket s, Exception e) {
        log.debug("socket error (epoch {})", s.epoch, e);
    }

    // ---- timers

    private void ping() {
        MexcSocket s = current;
        if (s != null && s.isOpen()) {
            try {
                s.send("{\"method\":\"ping\"}");
                stats.pingsSent.incrementAndGet();
            } catch (RuntimeException e) {
                log.debug("ping failed", e);
            }
        }
    }

    private void watch() {
        MexcSocket s = current;
        if (s == null || !s.isOpen()) {
            return;
        }
        long silent = clock.millis() - stats.lastFrameAt;
        if (silent > cfg.silenceTimeout().toMillis()) {
            stats.silenceDrops.incrementAndGet();
            log.warn("no frame for {} ms (limit {} ms): treating the connection as dead", silent,
                    cfg.silenceTimeout().toMillis());
            s.closeConnection(CloseFrame.ABNORMAL_CLOSE, "silent for " + silent + " ms");
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        if (pinger != null) {
            pinger.cancel(false);
            watchdog.cancel(false);
        }
        loop.interrupt();
        MexcSocket s = current;
        if (s != null) {
            s.closeBlocking();
        }
        loop.join(10_000);
        state = State.CLOSED;
    }
}
