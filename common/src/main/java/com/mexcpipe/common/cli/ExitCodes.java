package com.mexcpipe.common.cli;

/** Exit codes shared by every mexc-pipe command line (documented in README). */
public final class ExitCodes {
    /** Success; for a check, every check passed. */
    public static final int OK = 0;
    /** A check failed or the work could not be completed (the output says which and why). */
    public static final int FAILED = 1;
    /** Bad arguments or configuration (the message names the option or variable). */
    public static final int USAGE = 2;
    /** A service it needs (ClickHouse, a client, tor) could not be reached. */
    public static final int UNAVAILABLE = 3;
    /** An unexpected internal error (a bug); the stack trace is printed. */
    public static final int INTERNAL = 4;

    private ExitCodes() {
    }
}
