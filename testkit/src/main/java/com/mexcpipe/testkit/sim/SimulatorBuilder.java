package com.mexcpipe.testkit.sim;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;

/** Options of a simulator; every one has a default that mimics the live exchange. */
public final class SimulatorBuilder {
    String bindAddress = "127.0.0.1";
    int port;
    SSLContext sslContext;
    Duration pingTimeout = Duration.ofSeconds(60);
    boolean depthPerIpLimit = true;
    Collection<String> knownSymbols;
    Collection<String> unknownSymbols = Set.of("NOPE_USDT");
    final double[] rates = {Channel.TICKER.defaultRate(), Channel.DEAL.defaultRate(), Channel.DEPTH.defaultRate()};
    boolean forceGzip;
    boolean ipEcho = true;
    String ipEchoBindAddress = "127.0.0.1";
    int ipEchoPort;
    boolean controlEndpoints;
    int frameLogCapacity = 1000;
    long seed = System.nanoTime();
    Duration tick = Duration.ofMillis(10);
    int maxQueuedFrames = 50_000;
    final Map<String, BigDecimal> startPrices = new HashMap<>();
    boolean exponentNumbers;
    boolean whitespaceVariation;
    double dealObjectProbability;
    double emptyDepthSideProbability = 0.005;
    int maxClosedRecords = 10_000;

    SimulatorBuilder() {
    }

    /** Address the WebSocket server binds (default 127.0.0.1; {@code 0.0.0.0} for all). */
    public SimulatorBuilder bindAddress(String address) {
        this.bindAddress = address;
        return this;
    }

    /** WebSocket port (default 0: ephemeral, read it with {@link ExchangeSimulator#port()}). */
    public SimulatorBuilder port(int port) {
        this.port = port;
        return this;
    }

    /** Serve {@code wss://} with this test material (see {@link TestTls#shared()}). */
    public SimulatorBuilder tls(TestTls tls) {
        this.sslContext = tls == null ? null : tls.serverContext();
        return this;
    }

    /** Serve {@code wss://} with this server context (null = plain {@code ws://}). */
    public SimulatorBuilder sslContext(SSLContext ctx) {
        this.sslContext = ctx;
        return this;
    }

    /** Close a connection this long after its last {@code {"method":"ping"}} (default 60 s; zero = never). */
    public SimulatorBuilder pingTimeout(Duration timeout) {
        this.pingTimeout = timeout;
        return this;
    }

    /** Refuse a second live {@code sub.depth.full} connection from one source IP (default on). */
    public SimulatorBuilder depthPerIpLimit(boolean on) {
        this.depthPerIpLimit = on;
        return this;
    }

    /** Only these contracts exist (default: any {@code [A-Z0-9]+_USDT}). */
    public SimulatorBuilder knownSymbols(Collection<String> symbols) {
        this.knownSymbols = symbols == null ? null : List.copyOf(symbols);
        return this;
    }

    /** These contracts never exist (default {@code NOPE_USDT}). */
    public SimulatorBuilder unknownSymbols(Collection<String> symbols) {
        this.unknownSymbols = List.copyOf(symbols);
        return this;
    }

    /** Frames per second per symbol on a channel (defaults: ticker 1, deal 5, depth 5). */
    public SimulatorBuilder rate(Channel channel, double framesPerSecond) {
        if (framesPerSecond < 0 || Double.isNaN(framesPerSecond) || Double.isInfinite(framesPerSecond)) {
            throw new IllegalArgumentException("rate must be a finite number >= 0: " + framesPerSecond);
        }
        rates[channel.ordinal()] = framesPerSecond;
        return this;
    }

    public SimulatorBuilder rates(double ticker, double deal, double depth) {
        return rate(Channel.TICKER, ticker).rate(Channel.DEAL, deal).rate(Channel.DEPTH, depth);
    }

    /** Send every push as a gzip binary frame, whatever the client asked (default: only after {@code "gzip":true}). */
    public SimulatorBuilder forceGzip(boolean on) {
        this.forceGzip = on;
        return this;
    }

    /** Run the IP-echo HTTP endpoint (default on). */
    public SimulatorBuilder ipEcho(boolean on) {
        this.ipEcho = on;
        return this;
    }

    /** Address the IP-echo endpoint binds (default 127.0.0.1). */
    public SimulatorBuilder ipEchoBindAddress(String address) {
        this.ipEchoBindAddress = address;
        return this;
    }

    /** Port of the IP-echo endpoint (default 0: ephemeral). */
    public SimulatorBuilder ipEchoPort(int port) {
        this.ipEchoPort = port;
        return this;
    }

    /** Also serve fault-injection and snapshot endpoints under {@code /sim/} on the IP-echo port (default off). */
    public SimulatorBuilder controlEndpoints(boolean on) {
        this.controlEndpoints = on;
        return this;
    }

    /** Keep the last {@code capacity} frames sent (default 1000; 0 = off). */
    public SimulatorBuilder frameLogRing(int capacity) {
        this.frameLogCapacity = Math.max(0, capacity);
        return this;
    }

    /** Keep every frame sent (memory grows without bound: for zero-loss tests). */
    public SimulatorBuilder frameLogFull() {
        this.frameLogCapacity = Integer.MAX_VALUE;
        return this;
    }

    public SimulatorBuilder frameLogOff() {
        this.frameLogCapacity = 0;
        return this;
    }

    /** Seed of the market random walk and frame shapes (default: time-based). */
    public SimulatorBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Pusher tick (default 10 ms): pushes due are sent in one batch per connection per tick. */
    public SimulatorBuilder tick(Duration tick) {
        if (tick.isNegative() || tick.isZero()) {
            throw new IllegalArgumentException("tick must be positive");
        }
        this.tick = tick;
        return this;
    }

    /** Skip pushes to a connection whose send queue holds more than this many frames (default 50,000). */
    public SimulatorBuilder maxQueuedFrames(int frames) {
        this.maxQueuedFrames = frames;
        return this;
    }

    /** Start price of a symbol; its scale is the price tick ({@code "90000.0"}: tick 0.1). */
    public SimulatorBuilder startPrice(String symbol, String price) {
        startPrices.put(symbol, new BigDecimal(price));
        return this;
    }

    /** Now and then write a depth price in exponent form, e.g. {@code 7.548E+4} (seen live; default off). */
    public SimulatorBuilder exponentNumbers(boolean on) {
        this.exponentNumbers = on;
        return this;
    }

    /** Now and then send a frame with spaces, 2/4-space or tab indentation (seen live; default off). */
    public SimulatorBuilder whitespaceVariation(boolean on) {
        this.whitespaceVariation = on;
        return this;
    }

    /** Probability of a deal frame in the old single-object form instead of an array (default 0). */
    public SimulatorBuilder dealObjectProbability(double p) {
        this.dealObjectProbability = p;
        return this;
    }

    /** Probability of each depth side being empty in a frame (default 0.005). */
    public SimulatorBuilder emptyDepthSideProbability(double p) {
        this.emptyDepthSideProbability = p;
        return this;
    }

    /** Records of closed connections kept (oldest forgotten first; default 10,000). */
    public SimulatorBuilder maxClosedRecords(int n) {
        this.maxClosedRecords = n;
        return this;
    }

    public ExchangeSimulator build() {
        return new ExchangeSimulator(this);
    }

    /** {@code build().start()}. */
    public ExchangeSimulator start() {
        return build().start();
    }
}
