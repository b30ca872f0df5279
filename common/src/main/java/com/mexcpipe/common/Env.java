package com.mexcpipe.common;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads configuration from environment variables and collects every problem, so that one start reports all bad
 * values at once. Each problem names the variable and the value it had.
 */
public final class Env {
    private final Map<String, String> vars;
    private final List<String> problems = new ArrayList<>();

    public Env(Map<String, String> vars) {
        this.vars = Map.copyOf(vars);
    }

    public static Env system() {
        return new Env(System.getenv());
    }

    /** The raw value, or null when unset or blank. */
    public String raw(String name) {
        String v = vars.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    public String string(String name, String defaultValue) {
        String v = raw(name);
        return v == null ? defaultValue : v;
    }

    /** A string that may be empty (e.g. a password); only unset means the default. */
    public String secret(String name, String defaultValue) {
        String v = vars.get(name);
        return v == null ? defaultValue : v;
    }

    public String required(String name, String example) {
        String v = raw(name);
        if (v == null) {
            problems.add(name + " is required (e.g. " + name + "=" + example + ")");
        }
        return v;
    }

    public boolean bool(String name, boolean defaultValue) {
        String v = raw(name);
        if (v == null) {
            return defaultValue;
        }
        switch (v.toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                problems.add(name + "=" + v + " is not a boolean (use true or false)");
                return defaultValue;
        }
    }

    public long longInRange(String name, long defaultValue, long min, long max) {
        String v = raw(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            long x = Long.parseLong(v.replace("_", ""));
            if (x < min || x > max) {
                problems.add(name + "=" + v + " is out of range [" + min + ", " + max + "]");
                return defaultValue;
            }
            return x;
        } catch (NumberFormatException e) {
            problems.add(name + "=" + v + " is not an integer");
            return defaultValue;
        }
    }

    public int intInRange(String name, int defaultValue, int min, int max) {
        return (int) longInRange(name, defaultValue, min, max);
    }

    /** A duration given in the variable's unit (the name says it, e.g. {@code _MS} or {@code _S}). */
    public Duration millis(String name, long defaultMs, long minMs, long maxMs) {
        return Duration.ofMillis(longInRange(name, defaultMs, minMs, maxMs));
    }

    public Duration seconds(String name, long defaultS, long minS, long maxS) {
        return Duration.ofSeconds(longInRange(name, defaultS, minS, maxS));
    }

    public Path path(String name, String defaultValue) {
        String v = string(name, defaultValue);
        try {
            return Path.of(v);
        } catch (RuntimeException e) {
            problems.add(name + "=" + v + " is not a valid path");
            return Path.of(defaultValue);
        }
    }

    /** A URI whose scheme is one of {@code schemes}; null when unset and the default is null. */
    public URI uri(String name, String defaultValue, String... schemes) {
        String v = string(name, defaultValue);
        if (v == null) {
            return null;
        }
        try {
            URI u = new URI(v);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!List.of(schemes).contains(scheme) || u.getHost() == null) {
                problems.add(name + "=" + v + " must be a " + String.join("/", schemes) + " URL with a host");
            }
            return u;
        } catch (Exception e) {
            problems.add(name + "=" + v + " is not a valid URL");
            return null;
        }
    }

    /** Parses with {@code parser}; an {@link IllegalArgumentException} becomes a problem naming the variable. */
    public <T> T parsed(String name, String defaultValue, Function<String, T> parser) {
        String v = string(name, defaultValue);
        if (v == null) {
            return null;
        }
        try {
            return parser.apply(v);
        } catch (IllegalArgumentException e) {
            problems.add(name + "=" + v + ": " + e.getMessage());
            return null;
        }
    }

    /** Records a cross-field problem found by the caller. */
    public void problem(String message) {
        problems.add(message);
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Throws a {@link ConfigException} listing every problem found so far. */
    public void validate() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.size() == 1 ? problems.get(0)
                    : problems.size() + " configuration problems:\n  " + String.join("\n  ", problems));
        }
    }
}
