package com.mexcpipe.testkit.bench;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * A load generator for the throughput benchmark: once a client subscribes to depth, it sends a pre-built corpus of
 * frames in a loop as fast as the socket drains (the exchange simulator's frame generation could not keep up),
 * answering pings so the client stays connected.
 */
final class ReplayServer extends WebSocketServer {
    private final String[] frames;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch started = new CountDownLatch(1);

    ReplayServer(List<String> corpus) {
        super(new InetSocketAddress("127.0.0.1", 0));
        this.frames = corpus.toArray(String[]::new);
        setReuseAddr(true);
        setTcpNoDelay(true);
    }

    long sent() {
        return sent.get();
    }

    void await() throws InterruptedException {
        started.await();
    }

    @Override
    public void onStart() {
        started.countDown();
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        if (message.contains("\"ping\"")) {
            conn.send("{\"channel\":\"pong\",\"data\":" + System.currentTimeMillis() + "}");
        } else if (message.contains("sub.depth.full")) {
            conn.send("{\"channel\":\"rs.sub.depth.full\",\"data\":\"success\",\"ts\":" + System.currentTimeMillis() + "}");
            Thread t = new Thread(() -> pump(conn), "replay");
            t.setDaemon(true);
            t.start();
        }
    }

    private void pump(WebSocket conn) {
        int i = 0;
        while (running.get() && conn.isOpen()) {
            for (int k = 0; k < 256; k++) {
                conn.send(frames[i]);
                i = i + 1 == frames.length ? 0 : i + 1;
            }
            sent.addAndGet(256);
            while (conn.hasBufferedData() && running.get() && conn.isOpen()) {
                Thread.onSpinWait();
                Thread.yield();
            }
        }
    }

    void stopSending() {
        running.set(false);
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
    }
}
