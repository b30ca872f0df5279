package com.mexcpipe.client;

import com.mexcpipe.client.status.RouteStatus;
import com.mexcpipe.client.transport.ExchangeSession;
import com.mexcpipe.client.transport.Route;
import java.util.concurrent.ScheduledExecutorService;

/** How this client reaches the exchange, with its status and its hooks into the session. */
public interface ClientRoute extends AutoCloseable {
    Route route();

    RouteStatus status();

    /** Called once the session exists (e.g. to re-check the exit IP after each connect). */
    default void attach(ExchangeSession session, ScheduledExecutorService timer) {
    }

    @Override
    default void close() throws Exception {
    }

    static ClientRoute of(Route route, RouteStatus status) {
        return new ClientRoute() {
            @Override
            public Route route() {
                return route;
            }

            @Override
            public RouteStatus status() {
                return status;
            }
        };
    }
}
