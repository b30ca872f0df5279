package com.mexcpipe.client.codec;

/**
 * Control flow for "this frame is not what the protocol allows": it becomes a {@code dl} row. A shared instance
 * without a stack trace, because malformed bursts must not cost an allocation and a stack walk per frame.
 */
final class Malformed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final Malformed INSTANCE = new Malformed();

    private Malformed() {
        super("malformed frame", null, false, false);
    }
}
