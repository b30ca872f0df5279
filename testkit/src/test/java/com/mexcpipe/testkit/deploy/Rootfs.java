package com.mexcpipe.testkit.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.opentest4j.TestAbortedException;

/**
 * A pristine Debian bookworm root filesystem like the {@code debian:bookworm-slim} base image, made by
 * {@code debootstrap --variant=minbase} from this machine's own Debian mirror (its apt sources: there is no other
 * internet here) and cached as a tarball under {@code ~/.cache/mexc-pipe/rootfs/}, keyed by the date of the
 * suite's InRelease file, so reruns extract instead of bootstrapping (~60 s saved).
 */
final class Rootfs {
    static final String SUITE = "bookworm";
    /** Bump when {@link #slim(Path)} or the debootstrap call changes: old tarballs are then ignored. */
    static final String RECIPE = "minbase-slim-v1";
    static final Path CACHE = Path.of(System.getProperty("user.home"), ".cache", "mexc-pipe", "rootfs");

    /** The host's apt entries for the Debian archive: the first main-archive URI, and the text to give apt. */
    record Mirror(String uri, String sourcesPath, String sourcesText) {
    }

    private Rootfs() {
    }

    /** The cached pristine tarball, built first if needed. */
    static Path pristine() {
        Mirror mirror = hostMirror();
        String arch = dpkgArch();
        Optional<String> date = releaseDate(mirror.uri());
        try {
            Files.createDirectories(CACHE);
            String prefix = SUITE + "-" + arch + "-" + RECIPE + "-";
            if (date.isEmpty()) {
                // the mirror does not answer: the newest cached tarball still serves (its install step will fail
                // without a mirror, though), else there is nothing to test with
                return newest(prefix).orElseThrow(() -> new TestAbortedException(
                        "no Debian mirror reachable at " + mirror.uri() + " and no cached rootfs in " + CACHE));
            }
            Path tar = CACHE.resolve(prefix + date.get() + ".tar");
            if (Files.isRegularFile(tar)) {
                return tar;
            }
            try (FileChannel ch = FileChannel.open(CACHE.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = ch.lock()) {
                if (Files.isRegularFile(tar)) {
                    return tar; // another JVM built it meanwhile
                }
                build(mirror, tar);
                for (Path old : list(prefix)) {
                    if (!old.equals(tar)) {
                        Files.deleteIfExists(old);
                    }
                }
            }
            return tar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void build(Mirror mirror, Path tar) throws IOException {
        Path work = Files.createTempDirectory(CACHE, "build-");
        Path target = work.resolve("root");
        long t0 = System.nanoTime();
        try {
            Deploy.Result r = Deploy.run(List.of("debootstrap", "--variant=minbase", SUITE, target.toString(),
                    mirror.uri()), work, null, Duration.ofMinutes(10));
            if (r.exit() != 0) {
                throw new IllegalStateException("debootstrap failed (exit " + r.exit() + "):\n" + tail(r.all(), 40));
            }
            slim(target);
            Path part = Path.of(tar + ".part");
            Deploy.Result t = Deploy.run(List.of("tar", "--numeric-owner", "-cpf", part.toString(), "-C",
                    target.toString(), "."), work, null, Duration.ofMinutes(5));
            if (t.exit() != 0) {
                throw new IllegalStateException("tar failed: " + t.all());
            }
            Files.move(part, tar, StandardCopyOption.ATOMIC_MOVE);
            System.out.printf("DEPLOY rootfs %s built with debootstrap from %s in %d s%n", tar.getFileName(),
                    mirror.uri(), Duration.ofNanos(System.nanoTime() - t0).toSeconds());
        } finally {
            Chroot.unmountUnder(work); // debootstrap mounts /proc and /sys in its target while it runs
            Chroot.removeTree(work);
        }
    }

    /** What debian:bookworm-slim leaves out (debuerreotype's slim rules), so the install scripts meet the same. */
    static void slim(Path root) throws IOException {
        Files.createDirectories(root.resolve("etc/dpkg/dpkg.cfg.d"));
        Files.writeString(root.resolve("etc/dpkg/dpkg.cfg.d/docker"), String.join("\n",
                "# as in debian:bookworm-slim",
                "path-exclude /usr/share/doc/*",
                "path-include /usr/share/doc/*/copyright",
                "path-exclude /usr/share/groff/*",
                "path-exclude /usr/share/info/*",
                "path-exclude /usr/share/linda/*",
                "path-exclude /usr/share/lintian/*",
                "path-exclude /usr/share/locale/*",
                "path-include /usr/share/locale/locale.alias",
                "path-exclude /usr/share/man/*", ""));
        for (String dir : List.of("usr/share/man", "usr/share/info", "usr/share/groff", "usr/share/lintian",
                "usr/share/linda", "var/cache/apt/archives", "var/lib/apt/lists")) {
            Path d = root.resolve(dir);
            if (Files.isDirectory(d)) {
                try (Stream<Path> s = Files.list(d)) {
                    for (Path p : s.toList()) {
                        if (!Files.isDirectory(p) || dir.startsWith("usr/")) {
                            Chroot.removeTree(p);
                        }
                    }
                }
            }
        }
        Path doc = root.resolve("usr/share/doc");
        if (Files.isDirectory(doc)) {
            try (Stream<Path> s = Files.walk(doc)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    if (Files.isRegularFile(p) && !p.getFileName().toString().equals("copyright")) {
                        Files.delete(p);
                    }
                }
            }
        }
    }

    /** Points the extracted root filesystem's apt at the host's mirror (like the image's debian.sources). */
    static void configureApt(Path root, Mirror mirror) throws IOException {
        Files.deleteIfExists(root.resolve("etc/apt/sources.list"));
        Files.createDirectories(root.resolve("etc/apt/sources.list.d"));
        Files.writeString(root.resolve(mirror.sourcesPath()), mirror.sourcesText());
        Path hostResolv = Path.of("/etc/resolv.conf");
        if (Files.exists(hostResolv)) {
            Path resolv = root.resolve("etc/resolv.conf");
            Files.deleteIfExists(resolv);
            Files.writeString(resolv, Files.readString(hostResolv));
        }
        // a proxy apt uses here is used there too
        String proxies = Deploy.run(List.of("apt-config", "dump"), null, null, Duration.ofSeconds(20)).out().lines()
                .filter(l -> l.startsWith("Acquire::http::Proxy ") || l.startsWith("Acquire::https::Proxy "))
                .reduce("", (a, b) -> a + b + "\n");
        if (!proxies.isEmpty()) {
            Files.writeString(root.resolve("etc/apt/apt.conf.d/01proxy"), proxies);
        }
    }

    /** The host's apt sources for the Debian archive (deb822 .sources or one-line sources.list). */
    static Mirror hostMirror() {
        try {
            List<Path> files = new ArrayList<>();
            Path d = Path.of("/etc/apt/sources.list.d");
            if (Files.isDirectory(d)) {
                try (Stream<Path> s = Files.list(d)) {
                    s.filter(p -> p.toString().endsWith(".sources")).sorted().forEach(files::add);
                }
            }
            for (Path f : files) {
                StringBuilder keep = new StringBuilder();
                String uri = null;
                for (String stanza : Files.readString(f).split("\\n\\s*\\n")) {
                    String uris = field(stanza, "URIs");
                    String suites = field(stanza, "Suites");
                    if (uris == null || suites == null || !(" " + suites + " ").contains(" " + SUITE)) {
                        continue;
                    }
                    keep.append(stanza.strip()).append("\n\n");
                    if (uri == null && (" " + suites + " ").contains(" " + SUITE + " ")) {
                        uri = uris.split("\\s+")[0];
                    }
                }
                if (uri != null) {
                    return new Mirror(uri, "etc/apt/sources.list.d/debian.sources", keep.toString());
                }
            }
            Path list = Path.of("/etc/apt/sources.list");
            if (Files.isRegularFile(list)) {
                StringBuilder keep = new StringBuilder();
                String uri = null;
                for (String l : Files.readAllLines(list)) {
                    String line = l.replaceAll("\\[[^]]*]", " ").strip(); // drop [options]
                    String[] p = line.split("\\s+");
                    if (p.length < 4 || !p[0].equals("deb") || !p[2].startsWith(SUITE)) {
                        continue;
                    }
                    keep.append(l.strip()).append('\n');
                    if (uri == null && p[2].equals(SUITE)) {
                        uri = p[1];
                    }
                }
                if (uri != null) {
                    return new Mirror(uri, "etc/apt/sources.list", keep.toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new TestAbortedException("this machine's apt sources name no " + SUITE + " mirror (/etc/apt/sources.list*)");
    }

    private static String field(String stanza, String name) {
        for (String l : stanza.split("\\n")) {
            if (l.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return l.substring(name.length() + 1).strip();
            }
        }
        return null;
    }

    /**
     * yyyyMMdd of the suite's release: the {@code Date:} field of its InRelease file (read from the first bytes; a
     * caching proxy here drops Last-Modified), or empty when the mirror does not answer.
     */
    static Optional<String> releaseDate(String mirror) {
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
            String base = mirror.endsWith("/") ? mirror : mirror + "/";
            HttpResponse<java.io.InputStream> r = http.send(HttpRequest.newBuilder(
                    URI.create(base + "dists/" + SUITE + "/InRelease")).header("Range", "bytes=0-4095")
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
            try (java.io.InputStream in = r.body()) {
                if (r.statusCode() != 200 && r.statusCode() != 206) {
                    return Optional.empty();
                }
                String head = new String(in.readNBytes(4096), java.nio.charset.StandardCharsets.UTF_8);
                // "Date: Sat, 11 Jul 2026 10:16:37 UTC"
                java.util.regex.Matcher m = java.util.regex.Pattern
                        .compile("(?m)^Date:\\s*\\w+,\\s*(\\d{1,2})\\s+(\\w{3})\\s+(\\d{4})").matcher(head);
                if (!m.find()) {
                    return Optional.empty();
                }
                java.time.LocalDate d = java.time.LocalDate.parse(m.group(1) + " " + m.group(2) + " " + m.group(3),
                        DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH));
                return Optional.of(d.format(DateTimeFormatter.BASIC_ISO_DATE));
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    static String dpkgArch() {
        Deploy.Result r = Deploy.run(List.of("dpkg", "--print-architecture"), null, null, Duration.ofSeconds(10));
        return r.exit() == 0 ? r.out().strip() : System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    }

    private static List<Path> list(String prefix) throws IOException {
        try (Stream<Path> s = Files.list(CACHE)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith(".tar")).toList();
        }
    }

    private static Optional<Path> newest(String prefix) throws IOException {
        return list(prefix).stream().max(Comparator.comparing(p -> p.getFileName().toString()));
    }

    static String tail(String text, int lines) {
        List<String> l = text.lines().toList();
        return String.join("\n", l.subList(Math.max(0, l.size() - lines), l.size()));
    }
}
