package com.mexcpipe.common;

import java.util.Objects;

/**
 * One stored row: {@code (ts DateTime64(3,'UTC'), mt Enum8, m String)}.
 *
 * @param ts epoch milliseconds, UTC
 * @param mt the row's type
 * @param m  the payload text (DESIGN §3)
 */
public record Row(long ts, RowType mt, String m) {
    public Row {
        Objects.requireNonNull(mt, "mt");
        Objects.requireNonNull(m, "m");
    }
}
