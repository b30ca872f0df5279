package com.mexcpipe.common.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A tiny read-only HTTP endpoint for {@code /health}, {@code /status} and {@code /metrics} (JDK server, GET only). */
public final class StatusHttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatusHttpServer.class);

    public record Response(int status, String contentType, byte[] body) {
        public static Response text(int status, String body) {
            return new Response(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
        }

        public static Response json(int status, byte[] body) {
            return new Response(status, "application/json", body);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;

    public StatusHttpServer(String bind, int port) throws IOException {
        this.server = HttpServer.create(new InetSocketAddress(bind, port), 16);
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "status-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
    }

    public StatusHttpServer route(String path, Supplier<Response> handler) {
        server.createContext(path, ex -> handle(ex, path, handler));
        return this;
    }

    private void handle(HttpExchange ex, String path, Supplier<Response> handler) throws IOException {
        try (ex) {
            if (!ex.getRequestURI().getPath().equals(path)) {
                send(ex, Response.text(404, "not found\n"));
                return;
            }
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                send(ex, Response.text(405, "GET only\n"));
                return;
            }
            Response r;
            try {
                r = handler.get();
            } catch (RuntimeException e) {
                log.warn("status handler {} failed", path, e);
                r = Response.text(500, "error: " + e + "\n");
            }
            send(ex, r);
        }
    }

    private static void send(HttpExchange ex, Response r) throws IOException {
        ex.getResponseHeaders().set("Content-Type", r.contentType());
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(r.status(), head ? -1 : r.body().length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(r.body());
            }
        }
    }

    public StatusHttpServer start() {
        server.start();
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
