package com.mexcpipe.testkit.tor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One tor process: its directory (which is also its DataDirectory, mode 0700), torrc, and the log files
 * {@code notice.log} (tor's own log), {@code stdout.log} and {@code stderr.log} (the process streams).
 */
final class TorNode {
    static final String NOTICE_LOG = "notice.log";

    private final String name;
    private final Path dir;
    private volatile Process process;

    TorNode(String name, Path dir) {
        this.name = name;
        this.dir = dir;
    }

    String name() {
        return name;
    }

    Path dir() {
        return dir;
    }

    Path torrc() {
        return dir.resolve("torrc");
    }

    Path noticeLog() {
        return dir.resolve(NOTICE_LOG);
    }

    Optional<ProcessHandle> handle() {
        Process p = process;
        return p == null ? Optional.empty() : Optional.of(p.toHandle());
    }

    boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** Exit code if the process was started and has exited, else null. */
    Integer exitCode() {
        Process p = process;
        if (p == null || p.isAlive()) {
            return null;
        }
        return p.exitValue();
    }

    /** Creates the directory with mode 0700 (tor refuses a group/world readable DataDirectory). */
    static Path createPrivateDir(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    void writeTorrc(List<String> lines) {
        try {
            Files.write(torrc(), lines, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("torrc-defaults"), "", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + torrc(), e);
        }
    }

    /** Starts {@code tor -f torrc} with an empty defaults file, so nothing from /etc/tor leaks in. */
    void start(Path torBinary, Map<String, String> extraEnv) {
        ProcessBuilder pb = new ProcessBuilder(torBinary.toString(),
                "--defaults-torrc", dir.resolve("torrc-defaults").toString(),
                "-f", torrc().toString());
        pb.directory(dir.toFile());
        pb.redirectOutput(dir.resolve("stdout.log").toFile());
        pb.redirectError(dir.resolve("stderr.log").toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(extraEnv);
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new TorNetworkException("cannot start tor for " + name + ": " + e.getMessage(), e);
        }
    }

    /** Sends SIGTERM (tor exits at once with {@code ShutdownWaitLength 0}). */
    void terminate() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroy();
        }
    }

    /** Waits until the process is gone, escalating to SIGKILL after {@code graceMillis}. */
    void awaitGone(long graceMillis) {
        Process p = process;
        if (p == null) {
            return;
        }
        try {
            if (!p.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** True if this node died because a port it was given was taken in between (worth a retry with new ports). */
    boolean diedOfPortClash() {
        if (isAlive() || process == null) {
            return false;
        }
        String all = tail(noticeLog(), 200) + tail(dir.resolve("stdout.log"), 200) + tail(dir.resolve("stderr.log"), 200);
        return all.contains("Address already in use") || all.contains("Could not bind");
    }

    /** The last lines of this node's logs, labelled, for failure messages. */
    String describe(int lines) {
        StringBuilder sb = new StringBuilder();
        sb.append("--- ").append(name).append(" (").append(dir).append(")");
        Process p = process;
        if (p == null) {
            sb.append(" not started");
        } else if (p.isAlive()) {
            sb.append(" pid ").append(p.pid()).append(" running");
        } else {
            sb.append(" pid ").append(p.pid()).append(" exited with ").append(p.exitValue());
        }
        sb.append('\n');
        appendTail(sb, noticeLog(), lines);
        appendTail(sb, dir.resolve("stderr.log"), lines);
        if (!Files.exists(noticeLog()) || sizeOf(noticeLog()) == 0) {
            appendTail(sb, dir.resolve("stdout.log"), lines);
        }
        return sb.toString();
    }

    private static void appendTail(StringBuilder sb, Path file, int lines) {
        String t = tail(file, lines);
        if (!t.isEmpty()) {
            sb.append("  [").append(file.getFileName()).append("]\n");
            t.lines().forEach(l -> sb.append("  ").append(l).append('\n'));
        }
    }

    private static long sizeOf(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return 0;
        }
    }

    static String tail(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return "";
        }
        try {
            List<String> all = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        for (int attempt = 0; attempt < 3 && Files.exists(root); attempt++) {
            List<Path> paths = new ArrayList<>();
            try (Stream<Path> s = Files.walk(root)) {
                s.sorted(Comparator.reverseOrder()).forEach(paths::add);
            } catch (IOException | UncheckedIOException e) {
                // raced with a file vanishing; retry
            }
            for (Path p : paths) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // retry below
                }
            }
        }
    }
}
