package com.mexcpipe.client.codec;

/**
 * One side of a {@code push.depth.full} order book, {@code [[price, volume, orders], …]} to {@code [price,volume],…}:
 * a tight fast path for the compact form live frames use, and the general path (any spacing, exponents, -0) for
 * everything else. Both give the same text; a differential test holds them to it.
 */
final class DepthSides {
    /** Depth levels kept per side (we subscribe with limit 20). */
    static final int MAX_LEVELS = FrameDecoder.MAX_LEVELS;

    private final JsonCursor c;
    private final boolean fastPaths;

    DepthSides(JsonCursor c, boolean fastPaths) {
        this.c = c;
        this.fastPaths = fastPaths;
    }

    /** Parses one side into {@code out}: {@code [price,volume],…}, best first, at most {@link #MAX_LEVELS}. */
    void parse(CharOut out) {
        int start = c.pos();
        if (fastPaths && fastSide(out)) {
            return;
        }
        c.pos(start); // something unusual (whitespace, exponent, -0, …): the general path decides
        out.clear();
        c.expect('[');
        if (c.consume(']')) {
            return;
        }
        int levels = 0;
        do {
            c.expect('[');
            c.readNumber();
            int pS = c.numStart, pE = c.numEnd;
            boolean pPlain = c.numNeedsPlain;
            c.expect(',');
            c.readNumber();
            int vS = c.numStart, vE = c.numEnd;
            boolean vPlain = c.numNeedsPlain;
            while (c.more(']')) {
                c.skipValue(); // order count and anything after it: dropped
            }
            if (levels < MAX_LEVELS) {
                if (levels > 0) {
                    out.append(',');
                }
                out.append('[');
                c.appendNumber(out, pS, pE, pPlain);
                out.append(',');
                c.appendNumber(out, vS, vE, vPlain);
                out.append(']');
            }
            levels++;
        } while (c.more(']'));
    }

    /**
     * The common compact form {@code [[p,v,n],…]} (no whitespace, plain numbers) in one tight loop. Returns false,
     * having consumed nothing that matters, on anything else; the caller then re-parses with the general path.
     */
    private boolean fastSide(CharOut out) {
        out.clear();
        byte[] b = c.buf;
        int n = c.len;
        int p = c.pos();
        if (p >= n || b[p] != '[') {
            return false;
        }
        p++;
        if (p < n && b[p] == ']') {
            c.pos(p + 1);
            return true;
        }
        out.ensure(n - p); // "[p,v]" per level is never longer than the level's input
        byte[] o = out.a;
        int k = 0;
        int levels = 0;
        while (true) {
            if (p >= n || b[p] != '[') {
                return false;
            }
            p++;
            int mark = k; // output of this level starts here; dropped again past MAX_LEVELS
            if (levels > 0) {
                o[k++] = ',';
            }
            o[k++] = '[';
            int q = PlainNumbers.copyPlain(b, p, n, o, k); // price, scanned and copied in one go
            if (q < 0 || q >= n || b[q] != ',') {
                return false;
            }
            k += q - p;
            o[k++] = ',';
            p = q + 1;
            q = PlainNumbers.copyPlain(b, p, n, o, k); // volume
            if (q < 0) {
                return false;
            }
            k += q - p;
            o[k++] = ']';
            p = q;
            while (p < n && b[p] == ',') { // order count and anything after it: validated, dropped
                p = PlainNumbers.plainNumber(b, p + 1, n);
                if (p < 0) {
                    return false;
                }
            }
            if (p >= n || b[p] != ']') {
                return false;
            }
            p++;
            if (levels >= MAX_LEVELS) {
                k = mark;
            }
            levels++;
            if (p < n && b[p] == ',') {
                p++;
            } else if (p < n && b[p] == ']') {
                out.n = k;
                c.pos(p + 1);
                return true;
            } else {
                return false;
            }
        }
    }
}
