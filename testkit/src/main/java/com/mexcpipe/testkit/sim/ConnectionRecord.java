package com.mexcpipe.testkit.sim;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything recorded about one WebSocket connection (immutable copy taken by {@link ExchangeSimulator#snapshot()}).
 *
 * @param id connection id, increasing from 1 in accept order
 * @param remoteIp the client's source IP as the server saw it
 * @param remotePort the client's source port
 * @param path the request path (canonically {@code /edge})
 * @param connectedAt when the WebSocket handshake completed
 * @param closedAt when it closed, or null while open
 * @param closeCode the close code Java-WebSocket reported (1000, 1001, 1006, ...), or null while open
 * @param closeReason the close reason text, or null while open
 * @param closedByRemote true when the client closed it (null while open)
 * @param serverCloseCause why the simulator closed it ({@code "ping-timeout"}, {@code "drop:RESET"}, ...), or null
 * @param gzip whether pushes to it are sent as gzip binary frames (client asked {@code "gzip":true}, or forced)
 * @param subscriptions every subscribe/unsubscribe request in arrival order
 * @param pingsReceived {@code {"method":"ping"}} requests received
 * @param pongsSent pongs sent
 * @param errorsSent the {@code data} texts of every {@code rs.error} sent to it
 * @param pushed frames and events pushed, per symbol and channel
 * @param malformedSent malformed frames sent by fault injection
 * @param framesSkipped push frames not sent because its send queue was over the back-pressure limit
 * @param badRequests client frames that were not a JSON request the simulator answers (bad JSON, unknown method)
 */
public record ConnectionRecord(long id, String remoteIp, int remotePort, String path, Instant connectedAt, Instant closedAt,
        Integer closeCode, String closeReason, Boolean closedByRemote, String serverCloseCause, boolean gzip,
        List<SubscriptionRecord> subscriptions, long pingsReceived, long pongsSent, List<String> errorsSent,
        Map<StreamKey, StreamCount> pushed, long malformedSent, long framesSkipped, long badRequests) {

    public boolean isOpen() {
        return closedAt == null;
    }

    /** Frames and events pushed to this connection for one symbol and channel. */
    public StreamCount pushed(String symbol, Channel channel) {
        return pushed.getOrDefault(new StreamKey(symbol, channel), StreamCount.ZERO);
    }

    /** Push frames of one channel, all symbols. */
    public long framesPushed(Channel channel) {
        return pushed.entrySet().stream().filter(e -> e.getKey().channel() == channel)
                .mapToLong(e -> e.getValue().frames()).sum();
    }

    /** Push frames of all channels and symbols. */
    public long framesPushed() {
        return pushed.values().stream().mapToLong(StreamCount::frames).sum();
    }

    /** Events of one channel and symbol. */
    public long eventsPushed(String symbol, Channel channel) {
        return pushed(symbol, channel).events();
    }

    /** Accepted subscriptions of a channel (by method), in order. */
    public List<SubscriptionRecord> accepted(Channel channel) {
        return subscriptions.stream().filter(s -> s.accepted() && s.method().equals(channel.subMethod())).toList();
    }
}
