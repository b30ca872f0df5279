package com.mexcpipe.testkit.chdb;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * ClickHouse's HTTP interface on 127.0.0.1 backed by chDB, in this JVM. Data lives under {@code dataDir/db}, insert
 * bodies pass through {@code dataDir/tmp}. Run it in a JVM of its own ({@link ChdbProcess}, or
 * {@code java -jar testkit.jar clickhouse}).
 */
public final class ChdbServer implements AutoCloseable {
    /** Set before the JDK's HTTP server is first used: one segment per write, no 40 ms Nagle/delayed-ACK stalls. */
    public static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

    private final ChdbEngine engine;
    private final HttpServer http;
    private final ExecutorService executor;
    private final String version;
    private final Path dataDir;
    private boolean closed;

    private ChdbServer(ChdbEngine engine, HttpServer http, ExecutorService executor, String version, Path dataDir) {
        this.engine = engine;
        this.http = http;
        this.executor = executor;
        this.version = version;
        this.dataDir = dataDir;
    }

    /**
     * Loads libchdb, starts the engine on {@code dataDir/db} and serves HTTP on 127.0.0.1:{@code port} (0 = any free
     * port). {@code log} gets diagnostics (and one line per request when {@code verbose}).
     */
    public static ChdbServer start(Path library, Path dataDir, int port, PrintStream log, boolean verbose)
            throws IOException {
        if (System.getProperty(NODELAY_PROPERTY) == null) {
            System.setProperty(NODELAY_PROPERTY, "true");
        }
        Files.createDirectories(dataDir.resolve("db"));
        Path tmp = dataDir.resolve("tmp");
        deleteTree(tmp);
        ChdbEngine engine = ChdbEngine.open(library, dataDir.resolve("db"));
        try {
            if (!engine.takenSignals().isEmpty()) {
                log.println("chdb endpoint: chdb_connect replaced the handlers of " + engine.takenSignals()
                        + "; the JVM's are restored after every engine call");
            }
            ClickHouseHttpHandler handler = ClickHouseHttpHandler.create(engine, tmp, log, verbose);
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
            AtomicInteger threads = new AtomicInteger();
            // requests queue on the engine lock; threads only read bodies and compress in parallel
            ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "clickhouse-http-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            http.createContext("/", handler);
            http.setExecutor(executor);
            http.start();
            return new ChdbServer(engine, http, executor, handler.version(), dataDir);
        } catch (IOException | RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    public int port() {
        return http.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** The engine's {@code version()}, e.g. 26.5.1.1. */
    public String version() {
        return version;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The line printed once the server accepts connections ({@link ChdbProcess} waits for it). */
    public String readyLine() {
        return "clickhouse (chDB " + version + ") listening on " + url();
    }

    /** Stops accepting, lets running requests finish (up to 2 s), then shuts the engine down. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        http.stop(0); // stop(n) waits the full n seconds on JDK 17; the engine lock lets a running statement finish
        executor.shutdown();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        engine.close();
        try {
            deleteTree(dataDir.resolve("tmp"));
        } catch (IOException e) {
            // leftovers of a killed request; the next start clears them
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
