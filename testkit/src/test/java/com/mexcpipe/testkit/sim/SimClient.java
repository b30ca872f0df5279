package com.mexcpipe.testkit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.handshake.ServerHandshake;

/** A plain Java-WebSocket test client that keeps every frame it receives (gzip binary frames decoded). */
final class SimClient extends WebSocketClient {
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** One received frame: its text (gunzipped when binary gzip), whether it was binary, the parsed JSON or null. */
    record Msg(String text, boolean binary, boolean gzip, JsonNode json, long receivedAt) {
        String channel() {
            return json != null && json.path("channel").isTextual() ? json.get("channel").textValue() : null;
        }
    }

    final BlockingQueue<Msg> inbox = new LinkedBlockingQueue<>();
    final List<Msg> all = java.util.Collections.synchronizedList(new ArrayList<>());
    final Map<String, AtomicLong> framesByChannel = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> eventsByChannel = new ConcurrentHashMap<>();
    final AtomicLong frames = new AtomicLong();
    final CountDownLatch closed = new CountDownLatch(1);
    volatile int closeCode = -1;
    volatile String closeReason;
    volatile boolean closedByRemote;
    volatile Exception error;
    volatile boolean keep = true;

    private SimClient(URI uri) {
        super(uri, new Draft_6455(), null, 5000);
        setConnectionLostTimeout(0);
    }

    static SimClient connect(URI uri) throws InterruptedException {
        return connect(uri, null, null);
    }

    /** Connects, optionally trusting {@code ssl} and from local address {@code localIp}. */
    static SimClient connect(URI uri, SSLContext ssl, String localIp) throws InterruptedException {
        SimClient c = new SimClient(uri);
        if (ssl != null) {
            c.setSocketFactory(ssl.getSocketFactory());
        } else if (localIp != null) {
            c.setSocketFactory(new BoundSocketFactory(localIp));
        }
        if (!c.connectBlocking(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("cannot connect to " + uri + ": " + c.error);
        }
        return c;
    }

    void sub(String method, String symbol) {
        send("{\"method\":\"" + method + "\",\"param\":{\"symbol\":\"" + symbol + "\"}}");
    }

    void ping() {
        send("{\"method\":\"ping\"}");
    }

    /** The next frame matching {@code p} within {@code timeout} (non-matching frames are skipped), or null. */
    Msg await(Predicate<Msg> p, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            Msg m = inbox.poll(left, TimeUnit.NANOSECONDS);
            if (m == null) {
                return null;
            }
            if (p.test(m)) {
                return m;
            }
        }
    }

    Msg awaitChannel(String channel, Duration timeout) throws InterruptedException {
        return await(m -> channel.equals(m.channel()), timeout);
    }

    /** Collects {@code n} frames of {@code channel} (others skipped) within {@code timeout}. */
    List<Msg> collect(String channel, int n, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        List<Msg> out = new ArrayList<>();
        while (out.size() < n) {
            Msg m = await(x -> channel.equals(x.channel()), Duration.ofNanos(Math.max(1, end - System.nanoTime())));
            if (m == null) {
                break;
            }
            out.add(m);
        }
        return out;
    }

    long frames(String channel) {
        AtomicLong a = framesByChannel.get(channel);
        return a == null ? 0 : a.get();
    }

    long events(String channel) {
        AtomicLong a = eventsByChannel.get(channel);
        return a == null ? 0 : a.get();
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
    }

    @Override
    public void onMessage(String message) {
        received(message, false, false);
    }

    @Override
    public void onMessage(ByteBuffer bytes) {
        byte[] b = new byte[bytes.remaining()];
        bytes.get(b);
        if (b.length > 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(b))) {
                received(new String(in.readAllBytes(), StandardCharsets.UTF_8), true, true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            received(new String(b, StandardCharsets.ISO_8859_1), true, false);
        }
    }

    private void received(String text, boolean binary, boolean gzip) {
        JsonNode json = null;
        try {
            json = MAPPER.readTree(text);
        } catch (IOException ignored) {
            // malformed frames are kept as text
        }
        Msg m = new Msg(text, binary, gzip, json, System.currentTimeMillis());
        frames.incrementAndGet();
        String ch = m.channel();
        if (ch != null) {
            framesByChannel.computeIfAbsent(ch, k -> new AtomicLong()).incrementAndGet();
            JsonNode data = json.get("data");
            long ev = ch.equals("push.deal") && data != null && data.isArray() ? data.size() : 1;
            eventsByChannel.computeIfAbsent(ch, k -> new AtomicLong()).addAndGet(ev);
        }
        if (keep) {
            inbox.add(m);
            all.add(m);
        }
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        closeCode = code;
        closeReason = reason;
        closedByRemote = remote;
        closed.countDown();
    }

    @Override
    public void onError(Exception ex) {
        error = ex;
    }

    boolean awaitClosed(Duration timeout) throws InterruptedException {
        return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Creates sockets bound to one local address (a distinct 127.0.0.x source IP on loopback). */
    static final class BoundSocketFactory extends SocketFactory {
        private final String localIp;

        BoundSocketFactory(String localIp) {
            this.localIp = localIp;
        }

        @Override
        public Socket createSocket() throws IOException {
            Socket s = new Socket();
            s.bind(new InetSocketAddress(localIp, 0));
            return s;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            throw new UnsupportedOperationException();
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Socket createSocket(InetAddress host, int port) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
            throw new UnsupportedOperationException();
        }
    }
}
