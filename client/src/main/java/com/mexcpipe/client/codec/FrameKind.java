package com.mexcpipe.client.codec;

/** What one frame was; every kind except PONG and ACK produced at least one row. */
public enum FrameKind {
    /** push.ticker: one {@code t} row */
    TICKER,
    /** push.deal: one {@code d} row per deal */
    DEAL,
    /** push.depth.full: one {@code dp} row */
    DEPTH,
    /** pong: protocol, no row */
    PONG,
    /** rs.sub.* success: protocol, no row */
    ACK,
    /** rs.error: a {@code dl} row; the exchange refused or closed something */
    ERROR,
    /** anything else: one {@code dl} row with the raw frame */
    RAW
}
