package com.mexcpipe.testkit.chdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chDB ClickHouse endpoint ({@link ChdbServerMain}) in a child JVM: same {@code java} binary, same class path.
 * Keeps libchdb, its signal handlers, threads and 200–300 MB away from the JVM under test; the driver sees a plain
 * {@code http://127.0.0.1:<port>}.
 *
 * <p>The child's stdout and stderr go to {@code <dataDir>/server.log}. {@link #close()} sends SIGTERM, waits, then
 * kills; a JVM shutdown hook does the same if the owner never closes it.
 */
public final class ChdbProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile(
            "clickhouse \\(chDB ([^)]+)\\) listening on (http://127\\.0\\.0\\.1:(\\d+))");
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

    private final Process process;
    private final Path dataDir;
    private final Path logFile;
    private final String version;
    private final String url;
    private final int port;
    private final boolean deleteOnClose;
    private final Thread shutdownHook;
    private boolean closed;

    private ChdbProcess(Process process, Path dataDir, Path logFile, String version, String url, int port,
            boolean deleteOnClose) {
        this.process = process;
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.version = version;
        this.url = url;
        this.port = port;
        this.deleteOnClose = deleteOnClose;
        this.shutdownHook = new Thread(this::stop, "chdb-process-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts the endpoint on a free port with a fresh data directory (deleted again on close) and waits until it
     * accepts connections.
     */
    public static ChdbProcess start(Path library) throws IOException {
        Path dir = Files.createTempDirectory("mexc-pipe-chdb-");
        return start(library, dir, DEFAULT_START_TIMEOUT, true);
    }

    /**
     * Starts the endpoint with data in {@code dataDir} and waits for its ready line.
     *
     * @param deleteOnClose delete {@code dataDir} when the process is closed
     * @throws IOException if it does not start within {@code timeout}; the message carries the log's tail
     */
    public static ChdbProcess start(Path library, Path dataDir, Duration timeout, boolean deleteOnClose)
            throws IOException {
        if (!Files.isRegularFile(library)) {
            throw new IOException("libchdb not found at " + library);
        }
        Files.createDirectories(dataDir);
        Path log = dataDir.resolve("server.log");
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.add("-Xms64m");
        command.add("-Xmx768m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:-UsePerfData");
        command.add("-D" + ChdbServer.NODELAY_PROPERTY + "=true");
        command.add("-Dfile.encoding=UTF-8");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ChdbServerMain.class.getName());
        command.add("--port");
        command.add("0");
        command.add("--data");
        command.add(dataDir.toAbsolutePath().toString());
        command.add("--lib");
        command.add(library.toAbsolutePath().toString());
        if (Boolean.getBoolean("mexcpipe.chdb.verbose")) {
            command.add("--verbose");
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        pb.environment().remove("JAVA_TOOL_OPTIONS"); // agents meant for the JVM under test stay out of the server
        Process process = pb.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                Matcher m = READY.matcher(new String(Files.readAllBytes(log), StandardCharsets.UTF_8));
                if (m.find()) {
                    return new ChdbProcess(process, dataDir, log, m.group(1), m.group(2), Integer.parseInt(m.group(3)),
                            deleteOnClose);
                }
                if (!process.isAlive()) {
                    throw new IOException("the chDB endpoint exited with status " + process.exitValue()
                            + " before it was ready; " + log + " ends with:\n" + tail(log));
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("the chDB endpoint was not ready within " + timeout.toSeconds() + " s; "
                            + log + " ends with:\n" + tail(log));
                }
                Thread.sleep(20);
            }
        } catch (IOException | RuntimeException e) {
            destroy(process);
            throw e;
        } catch (InterruptedException e) {
            destroy(process);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the chDB endpoint", e);
        }
    }

    /** {@code http://127.0.0.1:<port>} */
    public String url() {
        return url;
    }

    public int port() {
        return port;
    }

    /** The engine's {@code version()}, e.g. 26.5.1.1. */
    public String version() {
        return version;
    }

    public long pid() {
        return process.pid();
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, wait up to 15 s, then SIGKILL; deletes the data directory if asked to. Idempotent. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs stop() itself
        }
        stop();
    }

    private synchronized void stop() {
        if (closed) {
            return;
        }
        closed = true;
        boolean crashed = !process.isAlive();
        destroy(process);
        if (crashed) {
            // keep the evidence
            System.err.println("chdb: the endpoint (pid " + process.pid() + ") had exited with status "
                    + process.exitValue() + " before it was closed; keeping " + dataDir + ", see " + logFile);
        } else if (deleteOnClose) {
            try {
                ChdbServer.deleteTree(dataDir);
            } catch (IOException e) {
                System.err.println("chdb: cannot delete " + dataDir + ": " + e);
            }
        }
    }

    private static void destroy(Process process) {
        process.destroy(); // SIGTERM: the server's shutdown hook closes the engine
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The last 40 lines of the log. */
    static String tail(Path log) {
        try {
            List<String> lines = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }
}
