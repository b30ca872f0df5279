package com.mexcpipe.testkit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.BinaryFrame;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.DataFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.framing.TextFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.DefaultSSLWebSocketServerFactory;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MEXC futures WebSocket simulator: subscribe/ack, ping/pong, {@code push.ticker}, {@code push.deal} (array form) and
 * {@code push.depth.full} with a random walk, gzip binary frames, {@code rs.error}; the live rules (ping timeout, one
 * {@code sub.depth.full} per source IP); fault injection; thread-safe recording; an IP-echo HTTP endpoint.
 *
 * <pre>{@code
 * try (ExchangeSimulator sim = ExchangeSimulator.builder().pingTimeout(Duration.ofSeconds(2)).build().start()) {
 *     URI ws = sim.uri();                       // ws://127.0.0.1:<port>/edge
 *     ...
 *     sim.dropAll(DropMode.RESET);
 *     SimSnapshot snap = sim.snapshot();
 * }
 * }</pre>
 */
public final class ExchangeSimulator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ExchangeSimulator.class);

    /** The live text sent before closing a connection that did not ping in time (the same text whatever the timeout). */
    public static final String PING_TIMEOUT_TEXT = "more than 60 seconds no response, close the channel";
    /** The text sent when the one-depth-per-IP rule refuses a {@code sub.depth.full}. */
    public static final String DEPTH_LIMIT_TEXT = "depth.full subscription limit reached for this IP";
    /** The text for a subscription without a symbol. */
    public static final String NO_CONTRACT_TEXT = "Contract doesn't exist!";
    /** The canonical endpoint path (any path is accepted). */
    public static final String PATH = "/edge";

    private static final Pattern DEFAULT_SYMBOL = Pattern.compile("[A-Z0-9]+_USDT");

    // ------------------------------------------------------------------------------------------------ configuration
    private final String bindAddress;
    private final int requestedPort;
    private final SSLContext sslContext;
    private final boolean ipEchoEnabled;
    private final String ipEchoBindAddress;
    private final int ipEchoPort;
    private final boolean controlEndpoints;
    private final long tickNanos;
    private final int maxQueuedFrames;
    private final boolean forceGzip;
    private final Set<String> knownSymbols;
    private final Set<String> unknownSymbols;
    private final Map<String, BigDecimal> startPrices;
    private final long seed;
    private final SimOptions options;
    private final FrameLog frameLog;
    private final int maxClosedRecords;

    // ------------------------------------------------------------------------------------------------ runtime knobs
    private volatile long pingTimeoutMillis;
    private volatile boolean depthPerIpLimit;
    private volatile double[] rates;
    private volatile boolean paused;
    private final Object tickLock = new Object();
    private volatile boolean stalled;
    private volatile long stallUntilNanos;

    // ------------------------------------------------------------------------------------------------ state
    private final ObjectMapper mapper = new ObjectMapper();
    private final Malformed malformed;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Session> sessions = new ConcurrentHashMap<>();
    private final Map<Long, Session> live = new ConcurrentHashMap<>();
    private final Map<String, Set<Long>> depthHolders = new HashMap<>();
    private final List<DepthRefusal> refusals = new ArrayList<>();
    private final Map<String, SymbolMarket> markets = new HashMap<>();  // pusher thread only
    private final Map<StreamKey, Double> credits = new HashMap<>();     // pusher thread only
    private final SplittableRandom pacing;                              // pusher thread only

    private Server server;
    private IpEchoServer echo;
    private Thread pusher;
    private volatile boolean running;

    ExchangeSimulator(SimulatorBuilder b) {
        this.bindAddress = b.bindAddress;
        this.requestedPort = b.port;
        this.sslContext = b.sslContext;
        this.ipEchoEnabled = b.ipEcho;
        this.ipEchoBindAddress = b.ipEchoBindAddress;
        this.ipEchoPort = b.ipEchoPort;
        this.controlEndpoints = b.controlEndpoints;
        this.tickNanos = b.tick.toNanos();
        this.maxQueuedFrames = b.maxQueuedFrames;
        this.forceGzip = b.forceGzip;
        this.knownSymbols = b.knownSymbols == null ? null : Set.copyOf(b.knownSymbols);
        this.unknownSymbols = Set.copyOf(b.unknownSymbols);
        this.startPrices = Map.copyOf(b.startPrices);
        this.seed = b.seed;
        this.options = new SimOptions(b.exponentNumbers, b.whitespaceVariation, b.dealObjectProbability,
                b.emptyDepthSideProbability);
        this.frameLog = new FrameLog(b.frameLogCapacity);
        this.maxClosedRecords = b.maxClosedRecords;
        this.pingTimeoutMillis = b.pingTimeout.toMillis();
        this.depthPerIpLimit = b.depthPerIpLimit;
        this.rates = b.rates.clone();
        this.malformed = new Malformed(seed);
        this.pacing = new SplittableRandom(seed * 31 + 7);
    }

    public static SimulatorBuilder builder() {
        return new SimulatorBuilder();
    }

    // ================================================================================================= lifecycle

    /** Binds, starts the pusher and (if on) the IP-echo endpoint; returns when the server accepts connections. */
    public synchronized ExchangeSimulator start() {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        Server s = new Server(new InetSocketAddress(bindAddress, requestedPort));
        if (sslContext != null) {
            s.setWebSocketFactory(new DefaultSSLWebSocketServerFactory(sslContext));
        }
        server = s;
        s.start();
        try {
            if (!s.started.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("simulator did not start within 20 s on " + bindAddress);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        }
        if (s.startError != null) {
            stopQuietly(s);
            server = null;
            throw new UncheckedIOException("cannot bind the simulator on " + bindAddress + ":" + requestedPort,
                    s.startError instanceof IOException io ? io : new IOException(s.startError));
        }
        running = true;
        pusher = new Thread(this::pusherLoop, "sim-pusher");
        pusher.setDaemon(true);
        pusher.start();
        if (ipEchoEnabled) {
            echo = IpEchoServer.start(ipEchoBindAddress, ipEchoPort);
            if (controlEndpoints) {
                echo.addContext("/sim/", new SimControl(this));
            }
        }
        log.info("exchange simulator listening on {}{}", uri(), echo == null ? "" : " (ip-echo " + echo.uri() + ")");
        return this;
    }

    /** Stops everything: live connections get a close frame (1001), then the ports are released. */
    @Override
    public synchronized void close() {
        running = false;
        if (pusher != null) {
            pusher.interrupt();
            try {
                pusher.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            pusher = null;
        }
        if (server != null) {
            stopQuietly(server);
        }
        if (echo != null) {
            echo.close();
            echo = null;
        }
    }

    private static void stopQuietly(Server s) {
        try {
            s.stop(1000, "simulator stopped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The port the WebSocket server listens on (the real one when 0 was asked). */
    public int port() {
        requireStarted();
        return server.getPort();
    }

    public boolean isTls() {
        return sslContext != null;
    }

    /**
     * {@code ws://127.0.0.1:PORT/edge}, or {@code wss://localhost:PORT/edge} with TLS on a loopback or wildcard bind (the
     * test certificate names {@code localhost} and {@code 127.0.0.1}).
     */
    public URI uri() {
        requireStarted();
        String host = bindAddress;
        boolean loopbackOrAny = false;
        try {
            InetAddress a = InetAddress.getByName(bindAddress);
            loopbackOrAny = a.isLoopbackAddress() || a.isAnyLocalAddress();
            if (a.isAnyLocalAddress()) {
                host = "127.0.0.1";
            }
        } catch (UnknownHostException ignored) {
            // keep the configured name
        }
        if (sslContext != null && loopbackOrAny) {
            host = "localhost";
        }
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create((sslContext != null ? "wss://" : "ws://") + host + ":" + port() + PATH);
    }

    /** {@code http://127.0.0.1:PORT/ip}, or null when the IP-echo endpoint is off. */
    public URI ipEchoUri() {
        return echo == null ? null : echo.uri();
    }

    /** The IP-echo endpoint, or null when off. */
    public IpEchoServer ipEcho() {
        return echo;
    }

    private void requireStarted() {
        if (server == null) {
            throw new IllegalStateException("simulator not started");
        }
    }

    // ================================================================================================= runtime knobs

    /** Frames per second per symbol on {@code channel} (0 = none); takes effect on the next tick. */
    public synchronized void setRate(Channel channel, double framesPerSecond) {
        if (framesPerSecond < 0 || Double.isNaN(framesPerSecond) || Double.isInfinite(framesPerSecond)) {
            throw new IllegalArgumentException("rate must be a finite number >= 0: " + framesPerSecond);
        }
        double[] r = rates.clone();
        r[channel.ordinal()] = framesPerSecond;
        rates = r;
    }

    /** Sets all three rates (frames per second per symbol). */
    public synchronized void setRates(double ticker, double deal, double depth) {
        setRate(Channel.TICKER, ticker);
        setRate(Channel.DEAL, deal);
        setRate(Channel.DEPTH, depth);
    }

    public double rate(Channel channel) {
        return rates[channel.ordinal()];
    }

    /** Changes the ping timeout for every connection (measured from each connection's last ping or its open). */
    public void setPingTimeout(Duration timeout) {
        pingTimeoutMillis = timeout.toMillis();
    }

    public Duration pingTimeout() {
        return Duration.ofMillis(pingTimeoutMillis);
    }

    /** Turns the one-{@code sub.depth.full}-per-source-IP rule on or off (existing subscriptions are kept). */
    public void setDepthPerIpLimit(boolean on) {
        depthPerIpLimit = on;
    }

    public boolean depthPerIpLimit() {
        return depthPerIpLimit;
    }

    // ================================================================================================= fault injection

    /** Drops every open connection with a close frame (1001), see {@link #dropAll(DropMode)}. */
    public int dropAll() {
        return dropAll(DropMode.CLOSE_FRAME);
    }

    /** Drops every open connection; returns how many. */
    public int dropAll(DropMode mode) {
        int n = 0;
        for (Session s : liveSessions()) {
            drop(s, mode);
            n++;
        }
        log.info("fault: dropped {} connection(s), {}", n, mode);
        return n;
    }

    /** Drops one connection by id; false if it is not open. */
    public boolean drop(long connectionId, DropMode mode) {
        Session s = live.get(connectionId);
        if (s == null) {
            return false;
        }
        drop(s, mode);
        log.info("fault: dropped connection {} ({}), {}", connectionId, s.ip, mode);
        return true;
    }

    private void drop(Session s, DropMode mode) {
        s.serverCloseCause = "drop:" + mode;
        WebSocket c = s.conn;
        switch (mode) {
            case CLOSE_FRAME -> c.close(CloseFrame.GOING_AWAY, "simulator drop");
            case NO_CLOSE_FRAME -> c.closeConnection(CloseFrame.ABNORMAL_CLOSE, "simulator drop without close frame");
            case RESET -> {
                if (c instanceof WebSocketImpl impl && impl.getSelectionKey() != null
                        && impl.getSelectionKey().channel() instanceof SocketChannel ch) {
                    try {
                        ch.socket().setSoLinger(true, 0);
                    } catch (SocketException e) {
                        log.debug("SO_LINGER 0 failed on connection {}", s.id, e);
                    }
                }
                c.closeConnection(CloseFrame.ABNORMAL_CLOSE, "simulator reset");
            }
        }
    }

    /**
     * Stalls the server for {@code duration}: connections stay open, nothing is sent (no pushes, no acks, no pongs).
     * Requests that arrive meanwhile are handled in order when the stall ends; the ping timeout is not enforced while
     * stalled.
     */
    public void stall(Duration duration) {
        stallUntilNanos = System.nanoTime() + Math.max(1, duration.toNanos());
        stalled = true;
        log.info("fault: stalled for {} ms", duration.toMillis());
    }

    /** Stalls until {@link #resume()}. */
    public void stall() {
        stallUntilNanos = 0;
        stalled = true;
        log.info("fault: stalled until resumed");
    }

    /** Ends a stall (queued requests are answered on the next tick). */
    public void resume() {
        if (stalled) {
            stalled = false;
            log.info("fault: stall ended");
        }
    }

    public boolean isStalled() {
        return stalled;
    }

    /**
     * Stops pushes (acks and pongs still answered). Returns after any tick already under way has finished, so no frame
     * is pushed (or logged) after this returns.
     */
    public void pausePushes() {
        paused = true;
        synchronized (tickLock) {
            // barrier: a tick that read paused == false before the write above completes before we return
        }
        log.info("fault: pushes paused");
    }

    public void resumePushes() {
        paused = false;
        log.info("fault: pushes resumed");
    }

    public boolean isPaused() {
        return paused;
    }

    /**
     * Sends {@code perConnection} malformed frames to every open connection, cycling through all kinds; returns the
     * number of frames sent.
     */
    public int sendMalformed(int perConnection) {
        return sendMalformed(perConnection, MalformedKind.values());
    }

    /** Sends {@code perConnection} malformed frames to every open connection, cycling through {@code kinds}. */
    public int sendMalformed(int perConnection, MalformedKind... kinds) {
        if (kinds.length == 0) {
            throw new IllegalArgumentException("no kinds");
        }
        int sent = 0;
        for (Session s : liveSessions()) {
            String symbol = s.subs.keySet().stream().map(StreamKey::symbol).sorted().findFirst().orElse("BTC_USDT");
            for (int i = 0; i < perConnection; i++) {
                MalformedKind kind = kinds[i % kinds.length];
                long now = System.currentTimeMillis();
                String text;
                boolean binary = kind == MalformedKind.BINARY_GARBAGE;
                try {
                    if (binary) {
                        byte[] b = malformed.binary();
                        s.conn.send(b);
                        text = new String(b, StandardCharsets.ISO_8859_1);
                    } else {
                        text = malformed.text(kind, symbol, now);
                        s.conn.send(text);
                    }
                } catch (WebsocketNotConnectedException e) {
                    break;
                }
                s.malformedSent.incrementAndGet();
                frameLog.add(new PushedFrame(s.id, null, kind, symbol, 0, now, text, binary));
                sent++;
            }
        }
        log.info("fault: sent {} malformed frame(s)", sent);
        return sent;
    }

    // ================================================================================================= recording

    /** An immutable copy of everything recorded. */
    public SimSnapshot snapshot() {
        List<ConnectionRecord> cs = sessions.values().stream().sorted(Comparator.comparingLong(x -> x.id))
                .map(Session::record).toList();
        List<DepthRefusal> rs;
        synchronized (refusals) {
            rs = List.copyOf(refusals);
        }
        return new SimSnapshot(Instant.now(), cs, rs, echo == null ? 0 : echo.requests());
    }

    /** The frame log (empty when off; the last N with a ring; everything with {@link SimulatorBuilder#frameLogFull()}). */
    public List<PushedFrame> frames() {
        return frameLog.list();
    }

    /** The logged frames sent to one connection. */
    public List<PushedFrame> frames(long connectionId) {
        return frameLog.list().stream().filter(f -> f.connectionId() == connectionId).toList();
    }

    /** Frames pushed out of the ring log since start or the last clear (0 with a full log). */
    public long framesEvicted() {
        return frameLog.evicted();
    }

    /** Forgets closed connections, depth refusals and the frame log (open connections keep their records). */
    public void clearRecords() {
        sessions.values().removeIf(Session::isClosed);
        synchronized (refusals) {
            refusals.clear();
        }
        frameLog.clear();
    }

    /** Open connections now. */
    public int openConnections() {
        return (int) live.values().stream().filter(s -> !s.isClosed()).count();
    }

    /** Waits until exactly {@code n} connections are open. */
    public boolean awaitOpenConnections(int n, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (openConnections() != n) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /**
     * Waits until every open connection's send queue is empty (all frames handed to the kernel). With {@link
     * #pausePushes()} first, the recorded counts are then exactly what the clients can receive.
     */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean busy = false;
            for (Session s : liveSessions()) {
                if (s.conn.hasBufferedData()) {
                    busy = true;
                    break;
                }
            }
            if (!busy) {
                return true;
            }
            if (System.nanoTime() - end > 0) {
                return false;
            }
            Thread.sleep(5);
        }
    }

    private List<Session> liveSessions() {
        List<Session> l = new ArrayList<>(live.values());
        l.removeIf(Session::isClosed);
        l.sort(Comparator.comparingLong(x -> x.id));
        return l;
    }

    // ================================================================================================= connections

    private void opened(WebSocket conn, ClientHandshake hs) {
        InetSocketAddress ra = conn.getRemoteSocketAddress();
        String ip = ra == null ? "?" : ra.getAddress().getHostAddress();
        int port = ra == null ? 0 : ra.getPort();
        Session s = new Session(ids.incrementAndGet(), conn, ip, port, hs.getResourceDescriptor(), forceGzip);
        conn.setAttachment(s);
        sessions.put(s.id, s);
        live.put(s.id, s);
        log.debug("connection {} open from {}:{} {}", s.id, ip, port, s.path);
        if (sessions.size() > maxClosedRecords + live.size()) {
            sessions.values().stream().filter(Session::isClosed).map(x -> x.id).sorted()
                    .limit(sessions.size() - maxClosedRecords - live.size()).toList().forEach(sessions::remove);
        }
    }

    private void closed(WebSocket conn, int code, String reason, boolean remote) {
        Session s = conn.getAttachment();
        if (s == null) {
            return;
        }
        s.closed(code, reason, remote);
        live.remove(s.id);
        releaseDepth(s);
        log.debug("connection {} from {} closed: {} {} (by {})", s.id, s.ip, code, reason, remote ? "client" : "server");
    }

    private void message(WebSocket conn, String text) {
        Session s = conn.getAttachment();
        if (s == null) {
            return;
        }
        synchronized (s) {
            if (stalled || !s.inbox.isEmpty()) {
                s.inbox.addLast(text);
                return;
            }
            handle(s, text);
        }
    }

    private void drainInboxes() {
        for (Session s : live.values()) {
            synchronized (s) {
                while (!s.inbox.isEmpty() && !stalled) {
                    handle(s, s.inbox.pollFirst());
                }
            }
        }
    }

    /** Handles one request; called with the session's lock held. */
    private void handle(Session s, String text) {
        JsonNode n;
        try {
            n = mapper.readTree(text);
        } catch (IOException e) {
            s.badRequests.incrementAndGet();
            return;
        }
        if (n == null || !n.isObject()) {
            s.badRequests.incrementAndGet();
            return;
        }
        JsonNode gz = n.get("gzip");
        if (gz != null && gz.isBoolean()) {
            s.gzip = forceGzip || gz.booleanValue();
        }
        JsonNode m = n.get("method");
        String method = m != null && m.isTextual() ? m.textValue() : null;
        if ("ping".equals(method)) {
            long now = System.currentTimeMillis();
            s.pings.incrementAndGet();
            s.lastPingMillis = now;
            s.pongs.incrementAndGet(); // counted before sending so a client that saw the pong sees it counted
            sendText(s, "{\"channel\":\"pong\",\"data\":" + now + ",\"ts\":" + now + "}");
            return;
        }
        Channel sub = Channel.forSubMethod(method);
        if (sub != null) {
            subscribe(s, sub, method, n.get("param"));
            return;
        }
        Channel unsub = Channel.forUnsubMethod(method);
        if (unsub != null) {
            unsubscribe(s, unsub, method, n.get("param"));
            return;
        }
        s.badRequests.incrementAndGet(); // unknown method: no answer at all, as live
    }

    private static String symbolOf(JsonNode param) {
        if (param == null || !param.isObject()) {
            return null;
        }
        JsonNode sym = param.get("symbol");
        return sym != null && sym.isTextual() ? sym.textValue() : null;
    }

    /** Whether a contract exists: the known set if configured, else any {@code XXX_USDT}; never an unknown one. */
    public boolean contractExists(String symbol) {
        if (symbol == null || unknownSymbols.contains(symbol)) {
            return false;
        }
        if (knownSymbols != null) {
            return knownSymbols.contains(symbol);
        }
        return DEFAULT_SYMBOL.matcher(symbol).matches();
    }

    private void subscribe(Session s, Channel ch, String method, JsonNode param) {
        String symbol = symbolOf(param);
        Instant at = Instant.now();
        Integer limit = null;
        if (ch == Channel.DEPTH) {
            JsonNode l = param == null ? null : param.get("limit");
            int v = l != null && l.canConvertToInt() ? l.asInt() : 20;
            limit = v == 5 || v == 10 || v == 20 ? v : 20;
        }
        if (!contractExists(symbol)) {
            String err = symbol == null ? NO_CONTRACT_TEXT : "Contract [" + symbol + "] not exists";
            s.logSubscription(new SubscriptionRecord(method, symbol, limit, false, err, at));
            sendError(s, err);
            return;
        }
        if (ch == Channel.DEPTH) {
            long holder = -1;
            synchronized (depthHolders) {
                Set<Long> holders = depthHolders.computeIfAbsent(s.ip, k -> new HashSet<>());
                if (depthPerIpLimit) {
                    for (Long id : holders) {
                        Session other = live.get(id);
                        if (id != s.id && other != null && !other.isClosed()) {
                            holder = holder < 0 ? id : Math.min(holder, id);
                        }
                    }
                }
                if (holder < 0) {
                    holders.add(s.id);
                }
            }
            if (holder >= 0) {
                s.logSubscription(new SubscriptionRecord(method, symbol, limit, false, DEPTH_LIMIT_TEXT, at));
                synchronized (refusals) {
                    refusals.add(new DepthRefusal(s.ip, s.id, symbol, holder, at));
                }
                sendError(s, DEPTH_LIMIT_TEXT);
                log.info("refused sub.depth.full {} on connection {}: {} already has depth on connection {}", symbol,
                        s.id, s.ip, holder);
                return;
            }
        }
        // recorded and registered before the ack goes out: a client that saw the ack finds it in snapshot(); the
        // pusher sends to a session only under its lock (held here), so the first push still follows the ack
        StreamKey key = new StreamKey(symbol, ch);
        s.subs.put(key, new Session.Sub(key, limit == null ? 0 : limit));
        s.logSubscription(new SubscriptionRecord(method, symbol, limit, true, null, at));
        sendText(s, "{\"channel\":\"rs." + method + "\",\"data\":\"success\",\"ts\":" + System.currentTimeMillis() + "}");
    }

    private void unsubscribe(Session s, Channel ch, String method, JsonNode param) {
        String symbol = symbolOf(param);
        Instant at = Instant.now();
        if (!contractExists(symbol)) {
            String err = symbol == null ? NO_CONTRACT_TEXT : "Contract [" + symbol + "] not exists";
            s.logSubscription(new SubscriptionRecord(method, symbol, null, false, err, at));
            sendError(s, err);
            return;
        }
        s.subs.remove(new StreamKey(symbol, ch));
        if (ch == Channel.DEPTH && s.depthSubscriptions() == 0) {
            releaseDepth(s);
        }
        s.logSubscription(new SubscriptionRecord(method, symbol, null, true, null, at));
        sendText(s, "{\"channel\":\"rs." + method + "\",\"data\":\"success\",\"ts\":" + System.currentTimeMillis() + "}");
    }

    private void releaseDepth(Session s) {
        synchronized (depthHolders) {
            Set<Long> holders = depthHolders.get(s.ip);
            if (holders != null) {
                holders.remove(s.id);
                if (holders.isEmpty()) {
                    depthHolders.remove(s.ip);
                }
            }
        }
    }

    private void sendError(Session s, String text) {
        s.logError(text);
        String quoted;
        try {
            quoted = mapper.writeValueAsString(text); // the symbol in it comes from the client: escape properly
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sendText(s, "{\"channel\":\"rs.error\",\"data\":" + quoted + ",\"ts\":" + System.currentTimeMillis() + "}");
    }

    private static boolean sendText(Session s, String text) {
        try {
            s.conn.send(text);
            return true;
        } catch (WebsocketNotConnectedException e) {
            return false;
        }
    }

    // ================================================================================================= pusher

    private void pusherLoop() {
        long last = System.nanoTime();
        while (running) {
            LockSupport.parkNanos(tickNanos);
            if (!running) {
                break;
            }
            long now = System.nanoTime();
            double dt = (now - last) / 1e9;
            last = now;
            try {
                synchronized (tickLock) {
                    tick(now, dt);
                }
            } catch (RuntimeException e) {
                log.error("simulator tick failed", e);
            }
        }
    }

    private void tick(long nowNanos, double dt) {
        if (stalled) {
            long until = stallUntilNanos;
            if (until != 0 && nowNanos - until >= 0) {
                stalled = false;
                log.info("fault: stall ended (duration elapsed)");
            } else {
                return;
            }
        }
        drainInboxes();
        enforcePingTimeout();
        if (paused) {
            credits.clear();
            return;
        }
        Map<StreamKey, List<Session>> subscribers = new HashMap<>();
        for (Session s : live.values()) {
            if (s.isClosed() || s.pingTimeoutFired || !s.conn.isOpen()) {
                continue;
            }
            for (StreamKey k : s.subs.keySet()) {
                subscribers.computeIfAbsent(k, x -> new ArrayList<>(2)).add(s);
            }
        }
        credits.keySet().retainAll(subscribers.keySet());
        if (subscribers.isEmpty()) {
            return;
        }
        double[] r = rates;
        long nowMs = System.currentTimeMillis();
        Map<Session, List<Frame>> out = new HashMap<>();
        for (Map.Entry<StreamKey, List<Session>> e : subscribers.entrySet()) {
            StreamKey key = e.getKey();
            double rate = r[key.channel().ordinal()];
            if (rate <= 0) {
                credits.remove(key);
                continue;
            }
            // jitter at live-like rates so frames are not metronomic; bursts are paced exactly
            double c = credits.getOrDefault(key, 1.0) + rate * dt * (rate < 50 ? 0.5 + pacing.nextDouble() : 1.0);
            c = Math.min(c, Math.max(2.0, rate * 0.25)); // no catch-up flood after a scheduling hiccup
            int n = (int) c;
            credits.put(key, c - n);
            if (n == 0) {
                continue;
            }
            SymbolMarket m = markets.computeIfAbsent(key.symbol(),
                    sym -> new SymbolMarket(sym, startPrices.getOrDefault(sym, SymbolMarket.defaultStart(sym)), seed, options));
            for (int i = 0; i < n; i++) {
                switch (key.channel()) {
                    case TICKER -> {
                        Frame f = m.ticker(nowMs);
                        for (Session s : e.getValue()) {
                            out.computeIfAbsent(s, x -> new ArrayList<>()).add(f);
                        }
                    }
                    case DEAL -> {
                        Frame f = m.deal(nowMs);
                        for (Session s : e.getValue()) {
                            out.computeIfAbsent(s, x -> new ArrayList<>()).add(f);
                        }
                    }
                    case DEPTH -> {
                        SymbolMarket.DepthBook book = m.depth(nowMs);
                        for (Session s : e.getValue()) {
                            Session.Sub sub = s.subs.get(key);
                            if (sub != null) {
                                out.computeIfAbsent(s, x -> new ArrayList<>()).add(book.frame(sub.limit()));
                            }
                        }
                    }
                }
            }
        }
        for (Map.Entry<Session, List<Frame>> e : out.entrySet()) {
            push(e.getKey(), e.getValue());
        }
    }

    private void push(Session s, List<Frame> frames) {
        synchronized (s) { // ordered after any ack being sent by handle()
            pushLocked(s, frames);
        }
    }

    private void pushLocked(Session s, List<Frame> frames) {
        WebSocket c = s.conn;
        if (c instanceof WebSocketImpl impl && impl.outQueue.size() > maxQueuedFrames) {
            s.framesSkipped.addAndGet(frames.size());
            return;
        }
        boolean gz = s.gzip;
        List<Framedata> batch = new ArrayList<>(frames.size());
        for (Frame f : frames) {
            DataFrame d = gz ? new BinaryFrame() : new TextFrame();
            d.setPayload(ByteBuffer.wrap(gz ? f.gzip() : f.utf8()));
            d.setFin(true);
            batch.add(d);
        }
        try {
            c.sendFrame(batch);
        } catch (WebsocketNotConnectedException e) {
            return;
        }
        boolean logging = frameLog.enabled();
        for (Frame f : frames) {
            s.count(f.key, f.events);
            if (logging) {
                frameLog.add(new PushedFrame(s.id, f.channel, null, f.symbol, f.events, f.ts, f.text, gz));
            }
        }
    }

    private void enforcePingTimeout() {
        long timeout = pingTimeoutMillis;
        if (timeout <= 0) {
            return;
        }
        long now = System.currentTimeMillis();
        for (Session s : live.values()) {
            if (!s.pingTimeoutFired && !s.isClosed() && now - s.lastPingMillis > timeout) {
                s.pingTimeoutFired = true;
                s.serverCloseCause = "ping-timeout";
                sendError(s, PING_TIMEOUT_TEXT);
                try {
                    s.conn.close(CloseFrame.NORMAL, "");
                } catch (RuntimeException e) {
                    log.debug("close after ping timeout failed on connection {}", s.id, e);
                }
                log.info("connection {} from {} closed: no ping for {} ms", s.id, s.ip, now - s.lastPingMillis);
            }
        }
    }

    // ================================================================================================= server

    private final class Server extends WebSocketServer {
        final CountDownLatch started = new CountDownLatch(1);
        volatile Exception startError;

        Server(InetSocketAddress address) {
            super(address);
            setReuseAddr(true);
            setTcpNoDelay(true);
            setConnectionLostTimeout(0); // MEXC's rule is the application-level ping timeout, enforced by the pusher
            setDaemon(true);
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            opened(conn, handshake);
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
            closed(conn, code, reason, remote);
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            message(conn, message);
        }

        @Override
        public void onMessage(WebSocket conn, ByteBuffer message) {
            Session s = conn.getAttachment();
            if (s != null) {
                s.badRequests.incrementAndGet();
            }
        }

        @Override
        public void onError(WebSocket conn, Exception ex) {
            if (conn == null) {
                if (started.getCount() > 0) {
                    startError = ex;
                    started.countDown();
                } else {
                    log.warn("simulator server error", ex);
                }
            } else {
                log.debug("connection error", ex);
            }
        }

        @Override
        public void onStart() {
            started.countDown();
        }
    }
}
