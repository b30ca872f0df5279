package com.mexcpipe.testkit.tor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A short preparation command (gcc, tor-gencert, tor --list-fingerprint) with its output in a log file. */
final class PrepCommand {
    private final String name;
    private final Process process;
    private final Path log;

    private PrepCommand(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static PrepCommand start(String name, Path dir, String stdin, String... command) {
        Path log = dir.resolve("prep-" + name + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        try {
            Process p = pb.start();
            try (OutputStream os = p.getOutputStream()) {
                if (stdin != null) {
                    os.write(stdin.getBytes(StandardCharsets.US_ASCII));
                }
            }
            return new PrepCommand(name, p, log);
        } catch (IOException e) {
            throw new TorNetworkException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
    }

    void kill() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    void await(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new TorNetworkException(name + " did not finish within " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new TorNetworkException("interrupted", e);
        }
        if (process.exitValue() != 0) {
            throw new TorNetworkException(name + " failed with exit code " + process.exitValue() + ":\n"
                    + TorNode.tail(log, PrivateTorNetwork.LOG_TAIL_LINES));
        }
    }
}
