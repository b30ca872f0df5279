package com.mexcpipe.testkit.sim;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An immutable view of everything the simulator recorded, from {@link ExchangeSimulator#snapshot()}.
 *
 * @param takenAt when the snapshot was taken
 * @param connections every connection since start (or since {@link ExchangeSimulator#clearRecords()}), in accept order
 * @param depthRefusals every {@code sub.depth.full} refused by the one-depth-per-IP rule
 * @param ipEchoRequests requests answered by the IP-echo endpoint
 */
public record SimSnapshot(Instant takenAt, List<ConnectionRecord> connections, List<DepthRefusal> depthRefusals,
        long ipEchoRequests) {

    public List<ConnectionRecord> open() {
        return connections.stream().filter(ConnectionRecord::isOpen).toList();
    }

    public Optional<ConnectionRecord> connection(long id) {
        return connections.stream().filter(c -> c.id() == id).findFirst();
    }

    public List<ConnectionRecord> from(String ip) {
        return connections.stream().filter(c -> c.remoteIp().equals(ip)).toList();
    }

    /** Frames and events pushed for one symbol and channel, over all connections. */
    public StreamCount pushed(String symbol, Channel channel) {
        return connections.stream().map(c -> c.pushed(symbol, channel)).reduce(StreamCount.ZERO, StreamCount::plus);
    }

    /** Events pushed for one symbol and channel, over all connections. */
    public long eventsPushed(String symbol, Channel channel) {
        return pushed(symbol, channel).events();
    }

    /** Push frames of one channel over all connections and symbols. */
    public long framesPushed(Channel channel) {
        return connections.stream().mapToLong(c -> c.framesPushed(channel)).sum();
    }

    /** Push frames over all connections, channels and symbols. */
    public long framesPushed() {
        return connections.stream().mapToLong(ConnectionRecord::framesPushed).sum();
    }

    public long pingsReceived() {
        return connections.stream().mapToLong(ConnectionRecord::pingsReceived).sum();
    }
}
