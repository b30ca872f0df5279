package com.mexcpipe.testkit.sim;

/** One push stream: a symbol on a channel. */
public record StreamKey(String symbol, Channel channel) {
    @Override
    public String toString() {
        return symbol + "/" + channel.pushChannel();
    }
}
