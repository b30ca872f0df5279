package com.mexcpipe.testkit.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An ipify-style IP-echo HTTP endpoint: {@code GET /ip} answers the caller's address as plain text (no newline), {@code
 * GET /ip?format=json} answers {@code {"ip":"127.0.0.3"}}. Runs on its own port (JDK {@link HttpServer}).
 */
public final class IpEchoServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicLong requests = new AtomicLong();

    private IpEchoServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts on {@code bindAddress:port} (port 0 = ephemeral). */
    public static IpEchoServer start(String bindAddress, int port) {
        HttpServer s;
        try {
            s = HttpServer.create(new InetSocketAddress(bindAddress, port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the IP-echo endpoint on " + bindAddress + ":" + port, e);
        }
        ExecutorService ex = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "sim-ip-echo");
            t.setDaemon(true);
            return t;
        });
        IpEchoServer echo = new IpEchoServer(s, ex);
        s.createContext("/ip", echo::handleIp);
        s.setExecutor(ex);
        s.start();
        return echo;
    }

    /** Adds another handler on this server (the simulator's optional control endpoints). */
    void addContext(String path, HttpHandler handler) {
        server.createContext(path, handler);
    }

    private void handleIp(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestURI().getPath().equals("/ip")) {
                respond(ex, 404, "text/plain", "not found");
                return;
            }
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                respond(ex, 405, "text/plain", "method not allowed");
                return;
            }
            requests.incrementAndGet();
            String ip = ex.getRemoteAddress().getAddress().getHostAddress();
            String q = ex.getRequestURI().getRawQuery();
            if (q != null && (q.contains("format=json"))) {
                respond(ex, 200, "application/json", "{\"ip\":\"" + ip + "\"}");
            } else {
                respond(ex, 200, "text/plain; charset=utf-8", ip);
            }
        }
    }

    static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(status, head ? -1 : b.length);
        if (!head) {
            try (OutputStream os = ex.getResponseBody()) {
                os.write(b);
            }
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://host:port/ip}. */
    public URI uri() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + a.getPort() + "/ip");
    }

    /** Requests answered on {@code /ip}. */
    public long requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
