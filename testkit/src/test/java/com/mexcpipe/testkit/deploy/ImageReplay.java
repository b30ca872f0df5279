package com.mexcpipe.testkit.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Replays the final stage of a Dockerfile on a {@link Chroot} the way {@code docker build} would: ARG (with the
 * build args compose passes), ENV, COPY (from the context = the repository, and {@code --from=build}, whose
 * WORKDIR is the repository as Maven built it), RUN (as root, with /proc and /dev), USER, WORKDIR, ENTRYPOINT,
 * CMD, HEALTHCHECK. Then starts "containers" of the image the way compose would (mounts, user, environment).
 */
final class ImageReplay {
    /** What {@code docker inspect} would show of the built image. */
    record Image(Map<String, String> env, String user, String workdir, List<String> entrypoint, List<String> cmd,
            List<String> healthcheck, List<String> log) {
        int uid() {
            return Integer.parseInt(user.split(":")[0]);
        }

        int gid() {
            return Integer.parseInt(user.split(":")[1]);
        }
    }

    private ImageReplay() {
    }

    static Image build(Dockerfile df, Chroot c, Map<String, String> buildArgs, Path context, Rootfs.Mirror mirror)
            throws IOException {
        Path buildWorkdir = Path.of(df.stage("build").workdir());
        Dockerfile.Stage stage = df.finalStage();
        Map<String, String> args = new LinkedHashMap<>();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", Chroot.PATH); // the debian base image's ENV
        String user = "0:0";
        String workdir = "/";
        List<String> entrypoint = List.of();
        List<String> cmd = List.of();
        List<String> healthcheck = List.of();
        List<String> log = new ArrayList<>();

        Rootfs.configureApt(c.root, mirror);
        c.mountProcAndDev();
        try {
            for (Dockerfile.Instruction i : stage.instructions()) {
                Map<String, String> vars = new LinkedHashMap<>(args);
                vars.putAll(env);
                String a = i.args();
                switch (i.keyword()) {
                    case "ARG" -> {
                        String[] kv = a.split("=", 2);
                        String name = kv[0].strip();
                        args.put(name, buildArgs.getOrDefault(name, kv.length > 1 ? kv[1].strip() : ""));
                    }
                    case "ENV" -> Dockerfile.envPairs(a).forEach((k, v) -> env.put(k, Deploy.interpolate(v, vars)));
                    case "LABEL", "EXPOSE" -> {
                    }
                    case "COPY" -> copy(c, context, buildWorkdir, Dockerfile.tokens(df.substitute(a, vars)));
                    case "RUN" -> {
                        long t0 = System.nanoTime();
                        Map<String, String> runEnv = new LinkedHashMap<>(vars);
                        Deploy.Result r = c.runAsRoot(a, runEnv, Duration.ofMinutes(10));
                        log.add("RUN " + a + ": exit " + r.exit() + " in "
                                + Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms");
                        if (r.exit() != 0) {
                            throw new IllegalStateException(df.file + ":" + i.line() + " RUN " + a + " failed (exit "
                                    + r.exit() + "):\n" + Rootfs.tail(r.all(), 60));
                        }
                        log.add(Rootfs.tail(r.all(), 4));
                    }
                    case "USER" -> {
                        user = df.substitute(a, vars);
                        if (!user.contains(":")) {
                            user = user + ":" + user;
                        }
                    }
                    case "WORKDIR" -> {
                        workdir = df.substitute(a, vars);
                        Files.createDirectories(c.in(workdir));
                    }
                    case "ENTRYPOINT" -> entrypoint = Dockerfile.execForm(a);
                    case "CMD" -> cmd = Dockerfile.execForm(a);
                    case "HEALTHCHECK" -> healthcheck = Dockerfile.execForm(a.substring(a.indexOf("CMD ") + 4));
                    default -> throw new IllegalStateException(df.file + ":" + i.line() + " " + i.keyword()
                            + " is not replayed by the rehearsal; extend ImageReplay or keep the Dockerfile thin");
                }
            }
        } finally {
            Chroot.unmountUnder(c.dir);
        }
        return new Image(env, user, workdir, entrypoint, cmd, healthcheck, log);
    }

    /** COPY [--from=build] src... dest (the build stage's WORKDIR is the repository, where Maven built the jars). */
    private static void copy(Chroot c, Path context, Path buildWorkdir, List<String> tokens) throws IOException {
        List<String> t = new ArrayList<>(tokens);
        Path base = context;
        boolean fromBuild = false;
        while (t.get(0).startsWith("--")) {
            String opt = t.remove(0);
            if (opt.equals("--from=build")) {
                fromBuild = true;
            } else {
                throw new IllegalStateException("COPY option " + opt + " is not replayed");
            }
        }
        String dest = t.remove(t.size() - 1);
        boolean destIsDir = dest.endsWith("/") || t.size() > 1;
        for (String src : t) {
            Path from;
            if (fromBuild) {
                Path inBuild = Path.of(src);
                if (!inBuild.startsWith(buildWorkdir)) {
                    throw new IllegalStateException("COPY --from=build " + src + " is outside " + buildWorkdir);
                }
                from = base.resolve(buildWorkdir.relativize(inBuild).toString());
            } else {
                from = base.resolve(src);
            }
            if (!Files.exists(from)) {
                throw new IllegalStateException("COPY source " + src + " -> " + from + " does not exist"
                        + (fromBuild ? " (build the jars first: mvn package)" : ""));
            }
            Path to = destIsDir ? c.in(dest).resolve(from.getFileName().toString()) : c.in(dest);
            Files.createDirectories(to.getParent());
            copyTree(from, to);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (Files.isDirectory(from)) {
            try (Stream<Path> s = Files.walk(from)) {
                for (Path p : s.toList()) {
                    Path target = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                    Files.setAttribute(target, "unix:uid", 0);
                    Files.setAttribute(target, "unix:gid", 0);
                }
            }
        } else {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            Files.setAttribute(to, "unix:uid", 0);
            Files.setAttribute(to, "unix:gid", 0);
        }
    }

    // ------------------------------------------------------------------ containers

    /**
     * The mounts compose gives a service: read-only root, /proc and /dev, its tmpfs entries, its volumes (a named
     * volume is a directory under {@code volumes}, created like Docker does with the owner and mode of the image's
     * directory), its bind mounts ({@code ./x} resolved against {@code project}).
     */
    static void composeMounts(Chroot c, Map<String, Object> service, Path volumes, Path project) throws IOException {
        if (Boolean.TRUE.equals(service.get("read_only"))) {
            c.readOnlyRoot();
        }
        c.mountProcAndDev();
        ComposeFileTest.tmpfs(service).forEach(c::tmpfs);
        for (Object v : Deploy.list(service.get("volumes"))) {
            String[] p = String.valueOf(v).split(":");
            String source = p[0];
            String target = p[1];
            boolean ro = p.length > 2 && p[2].equals("ro");
            Path host;
            if (source.startsWith(".") || source.startsWith("/")) {
                host = project.resolve(source).normalize();
            } else {
                host = volumes.resolve(source);
                if (!Files.exists(host)) {
                    Path image = c.in(target);
                    Files.createDirectories(host);
                    Files.setAttribute(host, "unix:uid", Files.getAttribute(image, "unix:uid"));
                    Files.setAttribute(host, "unix:gid", Files.getAttribute(image, "unix:gid"));
                    @SuppressWarnings("unchecked")
                    Set<PosixFilePermission> mode = (Set<PosixFilePermission>) Files.getAttribute(image, "posix:permissions");
                    Files.setPosixFilePermissions(host, mode);
                }
            }
            c.bind(host, target);
            if (ro) {
                c.mount("-o", "remount,bind,ro", c.in(target).toString());
            }
        }
    }

    /** A container's environment: PATH, HOSTNAME, HOME, the image's ENV, compose's environment, then overrides. */
    static Map<String, String> containerEnv(Chroot c, Image img, Map<String, String> compose, Map<String, String> overrides) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", Chroot.PATH);
        env.put("HOSTNAME", "rehearsal");
        env.put("HOME", home(c, img.uid()));
        env.putAll(img.env());
        env.putAll(compose);
        env.putAll(overrides);
        return env;
    }

    private static String home(Chroot c, int uid) {
        try {
            for (String l : Files.readAllLines(c.in("/etc/passwd"))) {
                String[] f = l.split(":");
                if (f.length > 5 && f[2].equals(String.valueOf(uid))) {
                    return f[5];
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "/";
    }
}
