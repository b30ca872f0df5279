package com.mexcpipe.testkit.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Shared helpers of the deployment tests: the repository root, processes, .env files, Compose-style YAML. */
final class Deploy {
    private Deploy() {
    }

    /** The repository root (where docker-compose.yml is), found upwards from the working directory. */
    static Path repoRoot() {
        Path p = Paths.get("").toAbsolutePath();
        for (Path d = p; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("docker-compose.yml")) && Files.isRegularFile(d.resolve("testkit/pom.xml"))) {
                return d;
            }
        }
        throw new IllegalStateException("no repository root (docker-compose.yml + testkit/pom.xml) above " + p);
    }

    record Result(int exit, String out, String err, Duration took) {
        String all() {
            return out + (err.isEmpty() ? "" : "\n[stderr]\n" + err);
        }
    }

    /**
     * Runs a command to completion (stdout/stderr through files, so no pipe can block it).
     *
     * @param env null = inherit this JVM's environment; otherwise exactly these variables
     */
    static Result run(List<String> cmd, Path dir, Map<String, String> env, Duration timeout) {
        try {
            Path out = Files.createTempFile("deploy-out", ".txt");
            Path err = Files.createTempFile("deploy-err", ".txt");
            try {
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                if (dir != null) {
                    pb.directory(dir.toFile());
                }
                if (env != null) {
                    pb.environment().clear();
                    pb.environment().putAll(env);
                }
                long t0 = System.nanoTime();
                Process p = pb.start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                    throw new IllegalStateException("timed out after " + timeout + ": " + cmd + "\n"
                            + Files.readString(out) + Files.readString(err));
                }
                return new Result(p.exitValue(), Files.readString(out), Files.readString(err),
                        Duration.ofNanos(System.nanoTime() - t0));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code cmd} runs and exits 0 (e.g. a version probe). */
    static boolean works(List<String> cmd) {
        try {
            return run(cmd, null, null, Duration.ofSeconds(30)).exit() == 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** KEY=VALUE lines of a .env file (comments and blank lines skipped; the last value of a key wins). */
    static Map<String, String> readEnvFile(Path file) {
        Map<String, String> env = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#") || !l.contains("=")) {
                    continue;
                }
                env.put(l.substring(0, l.indexOf('=')).strip(), l.substring(l.indexOf('=') + 1).strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return env;
    }

    /** The YAML as Compose reads it: merge keys ({@code <<: *anchor}) resolved, duplicate keys rejected. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> loadYaml(Path file) {
        LoaderOptions opts = new LoaderOptions();
        opts.setAllowDuplicateKeys(false);
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return (Map<String, Object>) new Yaml(new SafeConstructor(opts)).load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> loadYamlText(String text) {
        LoaderOptions opts = new LoaderOptions();
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) new Yaml(new SafeConstructor(opts)).load(text);
        return m;
    }

    /**
     * Compose variable substitution: {@code $$}, {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}},
     * {@code ${VAR-default}}, {@code ${VAR:?error}}, {@code ${VAR?error}}; applied to every string of a tree.
     */
    static Object interpolate(Object node, Map<String, String> env) {
        if (node instanceof String s) {
            return interpolate(s, env);
        }
        if (node instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), interpolate(v, env)));
            return out;
        }
        if (node instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(interpolate(v, env)));
            return out;
        }
        return node;
    }

    static String interpolate(String s, Map<String, String> env) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '$' || i + 1 >= s.length()) {
                out.append(c);
                i++;
                continue;
            }
            char n = s.charAt(i + 1);
            if (n == '$') {
                out.append('$');
                i += 2;
            } else if (n == '{') {
                int end = s.indexOf('}', i);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed ${ in " + s);
                }
                out.append(substitute(s.substring(i + 2, end), env));
                i = end + 1;
            } else if (Character.isLetter(n) || n == '_') {
                int j = i + 1;
                while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
                    j++;
                }
                out.append(env.getOrDefault(s.substring(i + 1, j), ""));
                i = j;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String substitute(String expr, Map<String, String> env) {
        for (String op : List.of(":-", ":?", "-", "?")) {
            int at = expr.indexOf(op);
            if (at > 0 && expr.substring(0, at).matches("[A-Za-z_][A-Za-z0-9_]*")) {
                String name = expr.substring(0, at);
                String arg = expr.substring(at + op.length());
                String v = env.get(name);
                boolean unset = v == null;
                boolean empty = unset || v.isEmpty();
                switch (op) {
                    case ":-":
                        return empty ? interpolate(arg, env) : v;
                    case "-":
                        return unset ? interpolate(arg, env) : v;
                    case ":?":
                        if (empty) {
                            throw new IllegalStateException("required variable " + name + ": " + arg);
                        }
                        return v;
                    default:
                        if (unset) {
                            throw new IllegalStateException("required variable " + name + ": " + arg);
                        }
                        return v;
                }
            }
        }
        return env.getOrDefault(expr, "");
    }

    /** A Compose environment section (map or list of KEY=VALUE) as a map. */
    static Map<String, String> environment(Map<String, Object> service) {
        Object e = service.get("environment");
        Map<String, String> out = new LinkedHashMap<>();
        if (e instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        } else if (e instanceof List<?> l) {
            for (Object o : l) {
                String s = String.valueOf(o);
                out.put(s.contains("=") ? s.substring(0, s.indexOf('=')) : s,
                        s.contains("=") ? s.substring(s.indexOf('=') + 1) : null);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }
}
