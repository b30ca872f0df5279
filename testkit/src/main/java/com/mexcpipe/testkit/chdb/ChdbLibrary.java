package com.mexcpipe.testkit.chdb;

import java.nio.file.Path;
import java.util.Map;

/** Where libchdb is: env {@code CHDB_LIB}, else the cache {@code .ci/fetch-chdb} fills. */
public final class ChdbLibrary {
    /** The pinned npm package the library comes from (see .ci/fetch-chdb). */
    public static final String PACKAGE = "@chdb/lib-linux-x64-gnu@26.5.3";
    public static final String ENV = "CHDB_LIB";

    private ChdbLibrary() {
    }

    /** {@code $CHDB_LIB}, else {@code ~/.cache/mexc-pipe/chdb/package/libchdb.so}. */
    public static Path locate(Map<String, String> env, String userHome) {
        String configured = env.get(ENV);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return defaultPath(userHome);
    }

    public static Path locate() {
        return locate(System.getenv(), System.getProperty("user.home"));
    }

    public static Path defaultPath(String userHome) {
        return Path.of(userHome, ".cache", "mexc-pipe", "chdb", "package", "libchdb.so");
    }
}
