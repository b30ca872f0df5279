package com.mexcpipe.testkit.chdb;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the JVM's signal handlers in place around libchdb (CHDB-CLICKHOUSE.md §6.10).
 *
 * <p>{@code chdb_connect} installs ClickHouse's own handlers for SIGSEGV, SIGBUS, SIGILL, SIGFPE and SIGABRT (and a
 * few the JVM does not use). HotSpot relies on SIGSEGV/SIGBUS/SIGILL/SIGFPE for implicit null checks and safepoint
 * polls; with chDB's handler in place the first NullPointerException raised from JIT-compiled code hangs the JVM.
 * This class snapshots the handlers with libc {@code sigaction} before chDB is loaded and puts them back after every
 * chDB call. Linux x86_64 only (signal numbers, {@code struct sigaction} of 152 bytes), like libchdb itself.
 */
final class SignalGuard {
    /** Signals the JVM owns or relies on; chDB keeps the ones it adds that the JVM leaves at their default. */
    private static final int[] SIGNALS = {1, 2, 3, 4, 6, 7, 8, 11, 12, 13, 15, 25};
    private static final String[] NAMES = {"", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS",
        "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD",
        "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ"};
    /** glibc's struct sigaction is 152 bytes on x86_64; leave room. */
    private static final int SIGACTION_SIZE = 256;

    interface LibC extends Library {
        int sigaction(int signal, Pointer action, Pointer oldAction);
    }

    private final LibC libc;
    private final Memory[] saved = new Memory[SIGNALS.length];

    private SignalGuard(LibC libc) {
        this.libc = libc;
    }

    /** Snapshots the handlers in force now (call before loading libchdb). */
    static SignalGuard capture() {
        SignalGuard guard = new SignalGuard(Native.load("c", LibC.class));
        for (int i = 0; i < SIGNALS.length; i++) {
            guard.saved[i] = guard.read(SIGNALS[i]);
        }
        return guard;
    }

    /** The guarded signals whose handler differs from the snapshot, e.g. {@code [SIGSEGV, SIGBUS]}. */
    List<String> changed() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < SIGNALS.length; i++) {
            Memory now = read(SIGNALS[i]);
            // compare the handler pointer and sa_flags (offset 136); the mask bytes beyond the kernel's are noise
            if (now.getLong(0) != saved[i].getLong(0) || now.getInt(136) != saved[i].getInt(136)) {
                names.add(NAMES[SIGNALS[i]]);
            }
        }
        return names;
    }

    /** Puts the snapshot back; cheap (one syscall per signal), so it runs after every chDB call. */
    void restore() {
        for (int i = 0; i < SIGNALS.length; i++) {
            if (libc.sigaction(SIGNALS[i], saved[i], null) != 0) {
                throw new IllegalStateException("sigaction(" + NAMES[SIGNALS[i]] + ") failed: errno " + Native.getLastError());
            }
        }
    }

    private Memory read(int signal) {
        Memory m = new Memory(SIGACTION_SIZE);
        m.clear();
        if (libc.sigaction(signal, null, m) != 0) {
            throw new IllegalStateException("sigaction(" + NAMES[signal] + ") failed: errno " + Native.getLastError());
        }
        return m;
    }
}
