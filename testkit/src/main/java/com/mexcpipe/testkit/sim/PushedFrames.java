package com.mexcpipe.testkit.sim;

import com.mexcpipe.client.codec.FrameDecoder;
import com.mexcpipe.common.Row;
import java.util.ArrayList;
import java.util.List;

/** The rows a client must store for the frames the simulator pushed: every push frame through the real decoder. */
public final class PushedFrames {
    private PushedFrames() {
    }

    /** Rows of every push frame (malformed fault-injection frames excluded), in push order. */
    public static List<Row> expectedRows(List<PushedFrame> frames) {
        return expectedRows(frames, null);
    }

    /** The same, only for {@code symbol} (null = all symbols). */
    public static List<Row> expectedRows(List<PushedFrame> frames, String symbol) {
        FrameDecoder d = new FrameDecoder();
        List<Row> rows = new ArrayList<>();
        for (PushedFrame f : frames) {
            if (f.channel() != null && (symbol == null || symbol.equals(f.symbol()))) {
                d.decodeText(f.text(), -1, (ts, mt, m) -> rows.add(new Row(ts, mt, m)));
            }
        }
        return rows;
    }
}
