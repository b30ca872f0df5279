package com.mexcpipe.testkit.sim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/** One generated push frame, shared by every connection subscribed to its stream; gzip form made on first use. */
final class Frame {
    final Channel channel;
    final String symbol;
    final StreamKey key;
    final int events;
    final long ts;
    final String text;
    private byte[] utf8;
    private byte[] gzip;

    Frame(Channel channel, String symbol, int events, long ts, String text) {
        this.channel = channel;
        this.symbol = symbol;
        this.key = new StreamKey(symbol, channel);
        this.events = events;
        this.ts = ts;
        this.text = text;
    }

    synchronized byte[] utf8() {
        if (utf8 == null) {
            utf8 = text.getBytes(StandardCharsets.UTF_8);
        }
        return utf8;
    }

    synchronized byte[] gzip() {
        if (gzip == null) {
            gzip = gzip(utf8());
        }
        return gzip;
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(data.length / 2 + 32);
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }
}
