package com.mexcpipe.testkit.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A root filesystem extracted from a tarball into {@code /var/tmp/mexc-rehearsal-*}, with the mounts a container
 * gets, and processes started in it with {@code chroot} (sharing this machine's network namespace). Cleanup
 * (kill what still runs in it, unmount everything under it, delete it without crossing file systems) happens on
 * {@link #close()}, and from a shutdown hook if the JVM goes first. Needs root.
 */
final class Chroot implements AutoCloseable {
    /** Keep the directory after close (unmounted) for a post-mortem: {@code -Dmexcpipe.rehearsal.keep=true}. */
    static final String KEEP_PROPERTY = "mexcpipe.rehearsal.keep";
    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    final Path dir;
    final Path root;
    private final Thread hook;
    private volatile boolean closed;

    private Chroot(Path dir) {
        this.dir = dir;
        this.root = dir.resolve("root");
        this.hook = new Thread(this::cleanup, "chroot-cleanup-" + dir.getFileName());
        Runtime.getRuntime().addShutdownHook(hook);
    }

    static Chroot extract(Path tarball, String name) {
        try {
            Chroot c = new Chroot(Files.createTempDirectory(Path.of("/var/tmp"), "mexc-rehearsal-" + name + "-"));
            Files.createDirectories(c.root);
            Deploy.Result r = Deploy.run(List.of("tar", "--numeric-owner", "-xpf", tarball.toString(), "-C",
                    c.root.toString()), c.dir, null, Duration.ofMinutes(3));
            if (r.exit() != 0) {
                c.close();
                throw new IllegalStateException("extracting " + tarball + " failed: " + r.all());
            }
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A path inside the root filesystem ("/opt/x" -> dir/root/opt/x). */
    Path in(String absolute) {
        return root.resolve(absolute.startsWith("/") ? absolute.substring(1) : absolute);
    }

    // ------------------------------------------------------------------ mounts

    void mount(String... args) {
        List<String> cmd = new ArrayList<>(List.of("mount"));
        cmd.addAll(List.of(args));
        Deploy.Result r = Deploy.run(cmd, null, null, Duration.ofSeconds(30));
        if (r.exit() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + r.all());
        }
    }

    /** /proc, and a /dev like Docker's (a tmpfs with the usual device nodes). */
    void mountProcAndDev() throws IOException {
        mount("-t", "proc", "-o", "nosuid,nodev,noexec", "proc", in("/proc").toString());
        Path dev = in("/dev");
        mount("-t", "tmpfs", "-o", "nosuid,mode=0755,size=65536k", "tmpfs", dev.toString());
        for (String[] n : new String[][] {{"null", "1", "3"}, {"zero", "1", "5"}, {"full", "1", "7"},
                {"random", "1", "8"}, {"urandom", "1", "9"}, {"tty", "5", "0"}}) {
            Deploy.Result r = Deploy.run(List.of("mknod", "-m", "666", dev.resolve(n[0]).toString(), "c", n[1], n[2]),
                    null, null, Duration.ofSeconds(10));
            if (r.exit() != 0) {
                throw new IllegalStateException("mknod " + n[0] + ": " + r.all());
            }
        }
        Files.createSymbolicLink(dev.resolve("fd"), Path.of("/proc/self/fd"));
        Files.createSymbolicLink(dev.resolve("stdin"), Path.of("/proc/self/fd/0"));
        Files.createSymbolicLink(dev.resolve("stdout"), Path.of("/proc/self/fd/1"));
        Files.createSymbolicLink(dev.resolve("stderr"), Path.of("/proc/self/fd/2"));
        Files.createDirectories(dev.resolve("shm"));
    }

    /** The root filesystem read-only from now on (compose read_only: true): a read-only bind of itself. */
    void readOnlyRoot() {
        mount("--bind", root.toString(), root.toString());
        mount("-o", "remount,bind,ro", root.toString());
    }

    /** A tmpfs as compose's tmpfs entry "path:options" makes it (Docker's defaults: nosuid, nodev, noexec). */
    void tmpfs(String path, String options) {
        List<String> opts = new ArrayList<>(List.of("nosuid", "nodev"));
        List<String> given = options.isEmpty() ? List.of() : List.of(options.split(","));
        if (!given.contains("exec")) {
            opts.add("noexec");
        }
        opts.addAll(given);
        mount("-t", "tmpfs", "-o", String.join(",", opts), "tmpfs", in(path).toString());
    }

    /** A host directory bound at a path of the root filesystem (a compose volume or bind mount). */
    void bind(Path host, String path) {
        mount("--bind", host.toString(), in(path).toString());
    }

    /** Every mount point at or under {@code dir}, deepest first. */
    static List<String> mountsUnder(Path dir) {
        String prefix = dir.toAbsolutePath().normalize().toString();
        List<String> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String mp = line.split(" ")[4].replace("\\040", " ");
                if (mp.equals(prefix) || mp.startsWith(prefix + "/")) {
                    out.add(mp);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(Comparator.comparingInt(String::length).reversed());
        return out;
    }

    static void unmountUnder(Path dir) {
        for (int round = 0; round < 5; round++) {
            List<String> mounts = mountsUnder(dir);
            if (mounts.isEmpty()) {
                return;
            }
            for (String mp : mounts) {
                if (Deploy.run(List.of("umount", mp), null, null, Duration.ofSeconds(30)).exit() != 0) {
                    Deploy.run(List.of("umount", "-l", mp), null, null, Duration.ofSeconds(30));
                }
            }
        }
        List<String> left = mountsUnder(dir);
        if (!left.isEmpty()) {
            throw new IllegalStateException("still mounted under " + dir + ": " + left);
        }
    }

    /** Deletes a tree without crossing into other file systems, and only once nothing is mounted under it. */
    static void removeTree(Path p) {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!mountsUnder(p).isEmpty()) {
            throw new IllegalStateException("refusing to delete " + p + ": mounts under it: " + mountsUnder(p));
        }
        Deploy.Result r = Deploy.run(List.of("rm", "-rf", "--one-file-system", p.toString()), null, null,
                Duration.ofMinutes(2));
        if (r.exit() != 0) {
            throw new IllegalStateException("rm -rf " + p + ": " + r.all());
        }
    }

    // ------------------------------------------------------------------ processes

    /** {@code /bin/sh -c script} in the root filesystem as root (a Dockerfile RUN), environment exactly {@code env}. */
    Deploy.Result runAsRoot(String script, Map<String, String> env, Duration timeout) {
        return Deploy.run(List.of("chroot", root.toString(), "/bin/sh", "-c", script), dir, env, timeout);
    }

    /**
     * The argv of a container process: chroot, then the root filesystem's own setpriv drops to uid:gid with no
     * supplementary groups, no capabilities (bounding set too: cap_drop ALL) and no_new_privs
     * (security_opt no-new-privileges), and the shell enters the working directory before exec'ing argv.
     */
    List<String> containerArgv(int uid, int gid, String workdir, List<String> argv) {
        List<String> cmd = new ArrayList<>(List.of("chroot", root.toString(), "/usr/bin/setpriv",
                "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--no-new-privs", "--bounding-set=-all",
                "--inh-caps=-all", "--", "/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", workdir));
        cmd.addAll(argv);
        return cmd;
    }

    /** Starts a container process (see {@link #containerArgv}); output to {@code log}. */
    Process start(int uid, int gid, String workdir, List<String> argv, Map<String, String> env, Path log) {
        ProcessBuilder pb = new ProcessBuilder(containerArgv(uid, gid, workdir, argv)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(env);
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a container process to completion (a `docker exec`). */
    Deploy.Result exec(int uid, int gid, String workdir, List<String> argv, Map<String, String> env, Duration timeout) {
        return Deploy.run(containerArgv(uid, gid, workdir, argv), dir, env, timeout);
    }

    /** Processes whose root directory is this root filesystem (what a container's PID namespace would hold). */
    List<ProcessHandle> processes() {
        String r = root.toString();
        List<ProcessHandle> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String target = Files.readSymbolicLink(p.resolve("root")).toString();
                    if (target.equals(r)) {
                        ProcessHandle.of(Long.parseLong(name)).ifPresent(out::add);
                    }
                } catch (IOException | SecurityException | UnsupportedOperationException e) {
                    // gone, or not ours to read
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    void killAll() {
        for (int round = 0; round < 50; round++) {
            List<ProcessHandle> ps = processes();
            if (ps.isEmpty()) {
                return;
            }
            ps.forEach(ProcessHandle::destroyForcibly);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private synchronized void cleanup() {
        if (closed) {
            return;
        }
        closed = true;
        killAll();
        unmountUnder(dir);
        if (!Boolean.getBoolean(KEEP_PROPERTY)) {
            removeTree(dir);
        } else {
            System.out.println("DEPLOY kept " + dir + " (-D" + KEEP_PROPERTY + "=true)");
        }
    }

    @Override
    public void close() {
        try {
            cleanup();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs (or ran) anyway
            }
        }
    }
}
