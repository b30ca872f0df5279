package com.mexcpipe.testkit.sim;

/** Frames that are not valid pushes of a subscribed channel, sent by {@link ExchangeSimulator#sendMalformed}. */
public enum MalformedKind {
    /** A real push frame cut in the middle (invalid JSON). */
    TRUNCATED_JSON,
    /** Text that is not JSON at all. */
    GARBAGE_TEXT,
    /** A well-formed {@code push.deal} or {@code push.ticker} whose fields have the wrong types or values. */
    WRONG_TYPES,
    /** A well-formed push of a channel nobody subscribed to: {@code push.kline}. */
    UNKNOWN_CHANNEL,
    /** An incremental {@code push.depth} frame (volume 0 deletes a level). */
    INCREMENTAL_DEPTH,
    /** A binary frame that is not gzip. */
    BINARY_GARBAGE
}
