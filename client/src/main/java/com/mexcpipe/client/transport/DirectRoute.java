package com.mexcpipe.client.transport;

import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.java_websocket.client.WebSocketClient;

/** Connects without Tor. Only with TOR_ENABLED=false (development, tests); logged loudly at start. */
public final class DirectRoute implements Route {
    private final SSLContext tls;

    /** @param tls trust for wss (tests with a self-signed exchange simulator); null = the JDK's default trust */
    public DirectRoute(SSLContext tls) {
        this.tls = tls;
    }

    @Override
    public void configure(WebSocketClient socket, long epoch) {
        if (tls != null) {
            socket.setSocketFactory(tls.getSocketFactory());
        }
    }

    @Override
    public boolean awaitReady(Duration max) {
        return true;
    }

    @Override
    public void newCircuit(String reason) {
        // no circuits without Tor
    }

    @Override
    public String describe() {
        return "DIRECT (no Tor)";
    }
}
