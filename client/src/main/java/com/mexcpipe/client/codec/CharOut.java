package com.mexcpipe.client.codec;

import java.util.Arrays;

/** A reusable growable char buffer: the decoder's output, without StringBuilder's per-append overhead. */
final class CharOut {
    char[] a;
    int n;

    CharOut(int capacity) {
        a = new char[capacity];
    }

    void clear() {
        n = 0;
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
        a[n++] = c;
    }

    void append(char[] src, int off, int len) {
        room(len);
        System.arraycopy(src, off, a, n, len);
        n += len;
    }

    void append(String s) {
        int len = s.length();
        room(len);
        s.getChars(0, len, a, n);
        n += len;
    }

    void append(CharOut o) {
        append(o.a, 0, o.n);
    }

    /** The index of {@code c} at or after {@code from}, or -1. */
    int indexOf(char c, int from) {
        for (int i = from; i < n; i++) {
            if (a[i] == c) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return new String(a, 0, n);
    }
}
