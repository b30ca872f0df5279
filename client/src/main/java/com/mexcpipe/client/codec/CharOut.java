package com.mexcpipe.client.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A reusable growable buffer of Latin-1 bytes: the decoder's output (always ASCII: numbers and separators), without
 * StringBuilder's per-append overhead; {@link #toString()} is a plain copy.
 */
final class CharOut {
    byte[] a;
    int n;

    CharOut(int capacity) {
        a = new byte[capacity];
    }

    void clear() {
        n = 0;
    }

    /** Makes room for {@code more} chars after the current end (the array may be replaced: re-read {@link #a}). */
    void ensure(int more) {
        room(more);
    }

    private void room(int more) {
        if (n + more > a.length) {
            a = Arrays.copyOf(a, Math.max(n + more, a.length * 2));
        }
    }

    void append(char c) {
        if (n == a.length) {
            room(1);
        }
        a[n++] = (byte) c;
    }

    void append(byte[] src, int off, int len) {
        room(len);
        System.arraycopy(src, off, a, n, len);
        n += len;
    }

    void append(String s) {
        int len = s.length();
        room(len);
        for (int i = 0; i < len; i++) {
            a[n + i] = (byte) s.charAt(i);
        }
        n += len;
    }

    void append(CharOut o) {
        append(o.a, 0, o.n);
    }

    /** The index of {@code c} at or after {@code from}, or -1. */
    int indexOf(char c, int from) {
        for (int i = from; i < n; i++) {
            if (a[i] == (byte) c) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return new String(a, 0, n, StandardCharsets.ISO_8859_1);
    }
}
