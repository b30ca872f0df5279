package com.mexcpipe.testkit.sim;

/** How {@link ExchangeSimulator#dropAll(DropMode)} ends connections. */
public enum DropMode {
    /** WebSocket close frame (1001 going away) sent at once, then TCP close: what a server restart looks like. */
    CLOSE_FRAME,
    /** TCP close (FIN) with no WebSocket close frame: the client sees an abnormal close (1006). */
    NO_CLOSE_FRAME,
    /** TCP reset (SO_LINGER 0, RST) with no close frame: "connection reset by peer". */
    RESET
}
