package com.mexcpipe.client.transport;

import com.mexcpipe.common.Symbol;
import java.net.URI;
import java.time.Duration;

/**
 * @param url                   the exchange WebSocket, e.g. wss://contract.mexc.com/edge
 * @param pingInterval          {"method":"ping"} this often, whatever the traffic (MEXC closes after 60 s without)
 * @param silenceTimeout        no frame at all for this long = a dead connection
 * @param connectTimeout        TCP + SOCKS + TLS + upgrade
 * @param reconnectMin          first reconnect delay ceiling (full jitter, doubling)
 * @param reconnectMax          reconnect delay cap
 * @param stableAfter           a connection that lived this long resets the backoff
 * @param newCircuitAfter       consecutive failed connections before asking for a new circuit
 */
public record SessionConfig(URI url, Symbol symbol, int depthLimit, Duration pingInterval, Duration silenceTimeout,
        Duration connectTimeout, Duration reconnectMin, Duration reconnectMax, Duration stableAfter,
        int newCircuitAfter) {
}
