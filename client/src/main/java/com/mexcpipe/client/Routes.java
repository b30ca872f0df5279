package com.mexcpipe.client;

import com.mexcpipe.client.status.RouteStatus;
import com.mexcpipe.client.transport.DirectRoute;
import com.mexcpipe.client.transport.Route;
import com.mexcpipe.common.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses how the client reaches the exchange: its own tor (default, fail closed) or, only when asked, directly. */
final class Routes {
    private static final Logger log = LoggerFactory.getLogger(Routes.class);

    record Chosen(Route route, RouteStatus status, AutoCloseable resources) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            if (resources != null) {
                resources.close();
            }
        }
    }

    private Routes() {
    }

    static Chosen choose(ClientConfig cfg) {
        if (!cfg.tor().enabled()) {
            log.warn("*****************************************************************************");
            log.warn("TOR_ENABLED=false: connecting to {} DIRECTLY from this host's IP, without Tor.",
                    cfg.session().url());
            log.warn("This is for development only; production clients must each use their own Tor exit.");
            log.warn("*****************************************************************************");
            return new Chosen(new DirectRoute(null), RouteStatus.DIRECT, null);
        }
        throw new ConfigException("TOR_ENABLED=true: Tor support is not built yet; set TOR_ENABLED=false");
    }
}
