package com.mexcpipe.client;

import com.mexcpipe.client.status.RouteStatus;
import com.mexcpipe.client.transport.DirectRoute;
import com.mexcpipe.client.tor.TorRoute;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses how the client reaches the exchange: its own tor (default, fail closed) or, only when asked, directly. */
final class Routes {
    private static final Logger log = LoggerFactory.getLogger(Routes.class);

    private Routes() {
    }

    static ClientRoute choose(ClientConfig cfg) throws java.io.IOException {
        if (!cfg.tor().enabled()) {
            log.warn("*****************************************************************************");
            log.warn("TOR_ENABLED=false: connecting to {} DIRECTLY from this host's IP, without Tor.",
                    cfg.session().url());
            log.warn("This is for development only; production clients must each use their own Tor exit.");
            log.warn("*****************************************************************************");
            return ClientRoute.of(new DirectRoute(null), RouteStatus.DIRECT);
        }
        log.info("connecting through this client's own tor ({}), fail closed: no direct connection",
                cfg.tor().torPath());
        return new TorRoute(cfg, java.time.Clock.systemUTC(), null);
    }
}
