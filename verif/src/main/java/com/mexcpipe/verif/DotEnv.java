package com.mexcpipe.verif;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** {@code KEY=VALUE} lines of the repo's {@code .env} (written by ./setup); process env wins over the file. */
final class DotEnv {
    private final Map<String, String> values = new HashMap<>();

    static DotEnv load(Path file) {
        DotEnv e = new DotEnv();
        if (Files.isRegularFile(file)) {
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String l = line.trim();
                    int eq = l.indexOf('=');
                    if (l.isEmpty() || l.startsWith("#") || eq <= 0) {
                        continue;
                    }
                    String v = l.substring(eq + 1).trim();
                    if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
                        v = v.substring(1, v.length() - 1);
                    }
                    e.values.put(l.substring(0, eq).trim(), v);
                }
            } catch (IOException ignored) {
                // unreadable .env: defaults and options apply
            }
        }
        return e;
    }

    String get(String key, String fallback) {
        String env = System.getenv(key);
        if (env != null && !env.isBlank()) {
            return env;
        }
        return values.getOrDefault(key, fallback);
    }
}
