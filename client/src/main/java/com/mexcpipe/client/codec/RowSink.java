package com.mexcpipe.client.codec;

import com.mexcpipe.common.RowType;

/** Receives the rows decoded from one frame, in frame order. */
@FunctionalInterface
public interface RowSink {
    void row(long ts, RowType mt, String m);
}
