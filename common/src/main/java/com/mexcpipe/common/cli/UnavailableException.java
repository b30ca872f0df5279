package com.mexcpipe.common.cli;

/** A service the command needs is not reachable; the message says what to do. Exit code {@link ExitCodes#UNAVAILABLE}. */
public final class UnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public UnavailableException(String message) {
        super(message);
    }
}
