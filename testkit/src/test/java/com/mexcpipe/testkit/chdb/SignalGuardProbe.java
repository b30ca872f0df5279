package com.mexcpipe.testkit.chdb;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link ChdbProcessTest}: loads libchdb into this JVM, then throws implicit
 * NullPointerExceptions from JIT-compiled code between engine calls, then a GC. Without {@link SignalGuard} the first
 * such NPE lands in chDB's SIGSEGV handler, which sleeps: the JVM hangs (CHDB-CLICKHOUSE.md §6.10).
 */
public final class SignalGuardProbe {
    static volatile long sink;

    private SignalGuardProbe() {
    }

    public static void main(String[] args) {
        long npes = 0;
        try (ChdbEngine engine = ChdbEngine.open(Path.of(args[0]), Path.of(args[1]))) {
            check(engine.query("SELECT 1", "TSV"));
            for (int round = 0; round < 20; round++) {
                for (int i = 0; i < 20_000; i++) {
                    try {
                        sink += length(i % 2 == 0 ? null : "x");
                    } catch (NullPointerException e) {
                        npes++;
                    }
                }
                check(engine.query("SELECT count() FROM numbers(1000)", "TSV"));
            }
            System.gc();
            check(engine.query("SELECT 2", "TSV"));
            System.out.println("OK " + npes + " NPEs; chdb_connect had taken " + engine.takenSignals());
        }
    }

    /** Compiled with an implicit null check: a null {@code s} raises SIGSEGV, which HotSpot turns into the NPE. */
    static int length(String s) {
        return s.length();
    }

    private static void check(ChdbEngine.Result r) {
        if (!r.ok()) {
            throw new IllegalStateException(r.error());
        }
    }
}
