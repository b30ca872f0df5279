package com.mexcpipe.testkit.tor;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Can this machine run a {@link PrivateTorNetwork}? Needs Linux, {@code tor} ≥ 0.4.8, {@code tor-gencert}, a C
 * compiler ({@code gcc} or {@code cc}, for the exits' bind shim) and bindable loopback addresses 127.0.0.x.
 *
 * <pre>{@code
 * TorAvailability tor = TorAvailability.check();
 * Assumptions.assumeTrue(tor.available(), tor.reason());
 * }</pre>
 */
public final class TorAvailability {
    /** Oldest tor version the network is known to work with. */
    public static final String MIN_VERSION = "0.4.8";

    private static volatile TorAvailability cached;

    private final String reason;
    private final String torVersion;
    private final Path tor;
    private final Path torGencert;
    private final Path compiler;

    private TorAvailability(String reason, String torVersion, Path tor, Path torGencert, Path compiler) {
        this.reason = reason;
        this.torVersion = torVersion;
        this.tor = tor;
        this.torGencert = torGencert;
        this.compiler = compiler;
    }

    /** The result of the checks, computed once per JVM. */
    public static TorAvailability check() {
        TorAvailability c = cached;
        if (c == null) {
            synchronized (TorAvailability.class) {
                c = cached;
                if (c == null) {
                    c = probe();
                    cached = c;
                }
            }
        }
        return c;
    }

    /** True when everything is present; otherwise {@link #reason()} says what is missing. */
    public boolean available() {
        return reason == null;
    }

    /** Human-readable reason why the network cannot run here (suitable as a test skip reason), or a summary if it can. */
    public String reason() {
        return reason != null ? reason
                : "tor " + torVersion + " (" + tor + "), " + torGencert + ", " + compiler;
    }

    /** e.g. "0.4.9.11", or null if tor was not found. */
    public String torVersion() {
        return torVersion;
    }

    /** Throws {@link TorNetworkException} with {@link #reason()} unless {@link #available()}. */
    public TorAvailability require() {
        if (!available()) {
            throw new TorNetworkException("private Tor network unavailable: " + reason);
        }
        return this;
    }

    Path tor() {
        return tor;
    }

    Path torGencert() {
        return torGencert;
    }

    Path compiler() {
        return compiler;
    }

    private static TorAvailability probe() {
        List<String> missing = new ArrayList<>();
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) {
            missing.add("Linux is required (LD_PRELOAD bind shim, 127.0.0.0/8 on lo); this is " + System.getProperty("os.name"));
        }
        Path tor = which("tor").orElse(null);
        String version = null;
        if (tor == null) {
            missing.add("`tor` not found on PATH (install the tor package, e.g. apt-get install tor)");
        } else {
            version = torVersion(tor);
            if (version == null) {
                missing.add("`" + tor + " --version` did not report a version");
            } else if (!atLeast(version, MIN_VERSION)) {
                missing.add("tor " + version + " is older than " + MIN_VERSION);
            }
        }
        Path gencert = which("tor-gencert").orElse(null);
        if (gencert == null) {
            missing.add("`tor-gencert` not found on PATH (it ships with the tor package)");
        }
        Path cc = which("gcc").or(() -> which("cc")).orElse(null);
        if (cc == null) {
            missing.add("no C compiler (`gcc` or `cc`) on PATH, needed to build the exits' bind shim");
        }
        if (missing.isEmpty()) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
            } catch (IOException e) {
                missing.add("cannot bind 127.0.0.2 (" + e.getMessage() + "); the exits need 127.0.0.2.. on the loopback interface");
            }
        }
        String reason = missing.isEmpty() ? null : "private Tor network not runnable: " + String.join("; ", missing);
        return new TorAvailability(reason, version, tor, gencert, cc);
    }

    static Optional<Path> which(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, command);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static String torVersion(Path tor) {
        try {
            Process p = new ProcessBuilder(tor.toString(), "--version").redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return parseVersion(new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** "Tor version 0.4.9.11." → "0.4.9.11"; null if absent. */
    static String parseVersion(String versionOutput) {
        Matcher m = Pattern.compile("Tor version (\\d+(?:\\.\\d+)+)").matcher(versionOutput);
        return m.find() ? m.group(1) : null;
    }

    /** Numeric comparison of dotted versions: atLeast("0.4.10.1", "0.4.8") is true. */
    static boolean atLeast(String version, String min) {
        String[] v = version.split("\\.");
        String[] m = min.split("\\.");
        for (int i = 0; i < Math.max(v.length, m.length); i++) {
            int a = i < v.length ? Integer.parseInt(v[i]) : 0;
            int b = i < m.length ? Integer.parseInt(m[i]) : 0;
            if (a != b) {
                return a > b;
            }
        }
        return true;
    }
}
