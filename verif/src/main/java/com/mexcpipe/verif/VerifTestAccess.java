package com.mexcpipe.verif;

import java.io.PrintStream;

/** Commands with their output captured, for tests in other modules. */
public final class VerifTestAccess {
    private VerifTestAccess() {
    }

    public static IpCommand ip(PrintStream out) {
        return new IpCommand(out);
    }

    public static ChCommand ch(PrintStream out) {
        return new ChCommand(out);
    }
}
