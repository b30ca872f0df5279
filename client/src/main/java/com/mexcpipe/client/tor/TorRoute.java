package com.mexcpipe.client.tor;

import com.mexcpipe.client.ClientConfig;
import com.mexcpipe.client.ClientRoute;
import com.mexcpipe.client.status.RouteStatus;
import com.mexcpipe.client.transport.ExchangeSession;
import com.mexcpipe.client.transport.Route;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.SSLContext;

/** The production route: the client's own tor plus its exit monitor. */
public final class TorRoute implements ClientRoute, RouteStatus {
    private final ClientConfig cfg;
    private final Clock clock;
    private final TorSupervisor tor;
    private final Instant startedAt;
    private ExitMonitor exits;

    public TorRoute(ClientConfig cfg, Clock clock, SSLContext tls) throws IOException {
        this.cfg = cfg;
        this.clock = clock;
        this.tor = new TorSupervisor(cfg.tor(), cfg.symbol().base(), clock, tls, cfg.session().url()).start();
        this.startedAt = clock.instant();
    }

    @Override
    public Route route() {
        return tor;
    }

    @Override
    public RouteStatus status() {
        return this;
    }

    @Override
    public void attach(ExchangeSession session, ScheduledExecutorService timer) {
        exits = new ExitMonitor(cfg.symbol(), cfg.controlDir(), tor, cfg.tor().ipEchoUrl(), cfg.session().url(), clock,
                cfg.tor().exitCheckInterval(), session::currentEpoch, session::dropConnection).start(timer);
        session.onConnect(exits::connected);
    }

    public TorSupervisor supervisor() {
        return tor;
    }

    public ExitMonitor exits() {
        return exits;
    }

    @Override
    public Object torView() {
        return tor.view();
    }

    @Override
    public Object exitView() {
        return exits == null ? null : exits.view();
    }

    @Override
    public double bootstrapPercent() {
        return tor.bootstrapPercent();
    }

    @Override
    public boolean ready() {
        return tor.ready();
    }

    @Override
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        Duration grace = cfg.tor().bootstrapTimeout();
        if (!tor.ready() && clock.instant().isAfter(startedAt.plus(grace))) {
            p.add("tor not ready (" + tor.view().state() + ", bootstrap " + tor.bootstrapPercent() + "%): "
                    + tor.view().lastError());
        }
        if (exits != null) {
            exits.unresolvedClash().ifPresent(c -> p.add("exit IP clash with " + c.with() + " on " + c.ip()));
        }
        return p;
    }

    @Override
    public void close() throws InterruptedException {
        tor.close();
    }
}
