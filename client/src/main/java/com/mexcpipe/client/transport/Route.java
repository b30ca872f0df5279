package com.mexcpipe.client.transport;

import java.time.Duration;
import org.java_websocket.client.WebSocketClient;

/** How the client reaches the exchange: through its Tor SOCKS port, or directly (development only). */
public interface Route {
    /** Configures a new connection for connection epoch {@code epoch} (proxy, DNS, credentials, TLS trust). */
    void configure(WebSocketClient socket, long epoch);

    /**
     * Waits until the route can carry a connection (Tor bootstrapped). Returns false if it could not within
     * {@code max}; the caller retries. Never falls back to a direct connection.
     */
    boolean awaitReady(Duration max) throws InterruptedException;

    /** Asks for a new circuit (new exit) for the next connection; a no-op for a direct route. */
    void newCircuit(String reason);

    /**
     * The exchange refused this exit (rs.error, HTTP 403/429) while the connection may still be open: avoid the exit
     * that carries it, then take a new circuit. Default: just a new circuit.
     */
    default void exitRefused(String reason) {
        newCircuit(reason);
    }

    /** For logs and status: e.g. "tor socks 127.0.0.1:9050" or "DIRECT". */
    String describe();
}
