package com.mexcpipe.common;

/** The {@code mt} column: what kind of market event a row holds (DESIGN §3). */
public enum RowType {
    /** push.ticker */
    TICKER("t", 1),
    /** push.deal, one row per deal */
    DEAL("d", 2),
    /** push.depth.full */
    DEPTH("dp", 3),
    /** anything that is not protocol and not one of the above: the raw frame */
    RAW("dl", 4);

    private static final RowType[] BY_CODE = {null, TICKER, DEAL, DEPTH, RAW};

    private final String label;
    private final int code;

    RowType(String label, int code) {
        this.label = label;
        this.code = code;
    }

    /** The Enum8 label stored in ClickHouse: t, d, dp or dl. */
    public String label() {
        return label;
    }

    /** The Enum8 value stored in ClickHouse. */
    public int code() {
        return code;
    }

    public static RowType ofCode(int code) {
        if (code < 1 || code >= BY_CODE.length) {
            throw new IllegalArgumentException("unknown mt code " + code);
        }
        return BY_CODE[code];
    }

    public static RowType ofLabel(String label) {
        for (RowType t : values()) {
            if (t.label.equals(label)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown mt '" + label + "'");
    }
}
