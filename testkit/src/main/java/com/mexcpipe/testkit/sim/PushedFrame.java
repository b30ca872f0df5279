package com.mexcpipe.testkit.sim;

/**
 * One frame the simulator handed to a connection's send queue (recorded only when frame logging is on, see
 * {@link SimulatorBuilder#frameLog}).
 *
 * @param connectionId the receiving connection
 * @param channel the push channel, or null for a malformed frame
 * @param malformed the kind of a malformed frame, or null for a push
 * @param symbol the symbol the frame is about (malformed frames: the symbol they name, if any)
 * @param events market events in the frame (deal array of k deals: k; ticker/depth: 1; malformed: 0)
 * @param ts the envelope {@code ts} (send time, epoch ms)
 * @param text the JSON text exactly as sent (before gzip), or for {@link MalformedKind#BINARY_GARBAGE} the bytes as
 *     ISO-8859-1 text
 * @param binary true when it went out as a binary frame (gzip, or binary garbage)
 */
public record PushedFrame(long connectionId, Channel channel, MalformedKind malformed, String symbol, int events, long ts,
        String text, boolean binary) {
}
