package com.mexcpipe.testkit.tor;

/**
 * The private Tor network or a test client tor could not be set up, did not become ready in time, or misbehaved.
 * The message says what was expected and carries the tails of the relevant tor logs.
 */
public class TorNetworkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TorNetworkException(String message) {
        super(message);
    }

    public TorNetworkException(String message, Throwable cause) {
        super(message, cause);
    }
}
