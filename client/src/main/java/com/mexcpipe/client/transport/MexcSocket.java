package com.mexcpipe.client.transport;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.handshake.ServerHandshake;

/** One WebSocket connection (one epoch); events go to the session. */
final class MexcSocket extends WebSocketClient {
    interface Events {
        void opened(MexcSocket s);

        void text(MexcSocket s, String frame);

        void binary(MexcSocket s, ByteBuffer frame);

        void closed(MexcSocket s, int code, String reason, boolean remote);

        void error(MexcSocket s, Exception e);
    }

    final long epoch;
    final CountDownLatch done = new CountDownLatch(1);
    volatile long openedAt;
    volatile String lastError;
    private final Events events;

    MexcSocket(URI url, int connectTimeoutMs, long epoch, Events events) {
        super(url, new Draft_6455(), null, connectTimeoutMs);
        this.epoch = epoch;
        this.events = events;
        setConnectionLostTimeout(0); // MEXC keepalive is the application-level ping; the session's watchdog decides
        setTcpNoDelay(true);
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
        events.opened(this);
    }

    @Override
    public void onMessage(String frame) {
        events.text(this, frame);
    }

    @Override
    public void onMessage(ByteBuffer frame) {
        events.binary(this, frame);
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        try {
            events.closed(this, code, reason, remote);
        } finally {
            done.countDown();
        }
    }

    @Override
    public void onError(Exception e) {
        lastError = e.toString();
        events.error(this, e);
    }
}
