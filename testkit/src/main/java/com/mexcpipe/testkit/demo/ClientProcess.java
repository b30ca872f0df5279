package com.mexcpipe.testkit.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.mexcpipe.common.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A real {@code client.jar} process for demos and tests: started with an environment, stopped with SIGTERM. */
public final class ClientProcess implements AutoCloseable {
    private final String symbol;
    private final Process process;
    private final int httpPort;
    private final Path log;

    private ClientProcess(String symbol, Process process, int httpPort, Path log) {
        this.symbol = symbol;
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
    }

    /** {@code client/target/client.jar} from the working directory or its parents, if built. */
    public static Optional<Path> findClientJar() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path jar = d.resolve("client/target/client.jar");
            if (Files.isRegularFile(jar)) {
                return Optional.of(jar);
            }
        }
        return Optional.empty();
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts {@code java -jar clientJar} with {@code env} (HTTP_PORT must be set); output goes to {@code log}. */
    public static ClientProcess start(Path clientJar, String symbol, Map<String, String> env, Path log)
            throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-jar", clientJar.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.environment().putAll(env);
        return new ClientProcess(symbol, pb.start(), Integer.parseInt(env.get("HTTP_PORT")), log);
    }

    public String symbol() {
        return symbol;
    }

    public Process process() {
        return process;
    }

    public Path log() {
        return log;
    }

    public int httpPort() {
        return httpPort;
    }

    /** The client's {@code /status}, or empty if it does not answer (yet). */
    public Optional<JsonNode> status() {
        try {
            HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/status"))
                            .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(Json.MAPPER.readTree(r.body())) : Optional.empty();
        } catch (IOException | InterruptedException e) {
            return Optional.empty();
        }
    }

    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGTERM, then a bounded wait, then SIGKILL. Returns the exit code. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
