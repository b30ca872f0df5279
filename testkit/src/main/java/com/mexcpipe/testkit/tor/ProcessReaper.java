package com.mexcpipe.testkit.tor;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Second line of cleanup (after {@code close()}): one JVM shutdown hook closes everything still registered.
 * The last line is {@code __OwningControllerProcess <jvm pid>} in every torrc, which makes tor exit on its own
 * within about 15 s when this JVM dies without running hooks (SIGKILL, crash).
 */
final class ProcessReaper {
    private static final Set<AutoCloseable> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ProcessReaper::closeAll, "tornet-reaper"));
    }

    private ProcessReaper() {
    }

    static void register(AutoCloseable resource) {
        LIVE.add(resource);
    }

    static void unregister(AutoCloseable resource) {
        LIVE.remove(resource);
    }

    private static void closeAll() {
        List<AutoCloseable> all = new ArrayList<>(LIVE);
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception | Error e) {
                // best effort while the JVM goes down
            }
        }
    }
}
