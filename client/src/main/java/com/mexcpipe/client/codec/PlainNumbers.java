package com.mexcpipe.client.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Scanning of plain JSON decimals in a frame's bytes for the decoder's fast path: digit runs eight bytes at a time
 * (SWAR), grammar checked, anything that would need normalising left to the general path (returns -1).
 */
final class PlainNumbers {
    private PlainNumbers() {
    }

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    /**
     * How many of the 8 bytes in {@code w} (first byte lowest), from the first, are ASCII digits (SWAR: no branch
     * per byte). A byte is a digit iff its high nibble is 3 and adding 6 keeps it 3. Adding 6 can carry into the
     * next byte only from a byte >= 0xFA, which is itself a non-digit, so every byte up to the first non-digit is
     * judged correctly.
     */
    static int leadingDigits(long w) {
        long hi = (w & 0xF0F0F0F0F0F0F0F0L) ^ 0x3030303030303030L;
        long lo = ((w + 0x0606060606060606L) & 0xF0F0F0F0F0F0F0F0L) ^ 0x3030303030303030L;
        return Long.numberOfTrailingZeros(hi | lo) >>> 3;
    }

    /** The length of the run of ASCII digits at {@code b[p]} (eight bytes at a time while they fit). */
    static int digitRun(byte[] b, int p, int n) {
        int start = p;
        while (p + 8 <= n) {
            int d = leadingDigits((long) LONG_LE.get(b, p));
            p += d;
            if (d < 8) {
                return p - start;
            }
        }
        while (p < n && b[p] >= '0' && b[p] <= '9') {
            p++;
        }
        return p - start;
    }

    /**
     * Copies a non-negative plain decimal {@code (0|[1-9][0-9]*)(.[0-9]+)?} from {@code b[p]} to {@code o[k]} while
     * validating it; returns the index after it, or -1 for anything else (a sign, an exponent: the general path
     * handles those). The caller sized {@code o}.
     */
    static int copyPlain(byte[] b, int p, int n, byte[] o, int k) {
        int start = p;
        int whole = digitRun(b, p, n);
        if (whole == 0 || (whole > 1 && b[p] == '0')) {
            return -1; // no digit, or a leading zero (not JSON)
        }
        p += whole;
        if (p < n && b[p] == '.') {
            int frac = digitRun(b, p + 1, n);
            if (frac == 0) {
                return -1;
            }
            p += 1 + frac;
        }
        if (p < n && (b[p] == 'e' || b[p] == 'E')) {
            return -1;
        }
        System.arraycopy(b, start, o, k, p - start);
        return p;
    }

    /**
     * Scans {@code -?(0|[1-9][0-9]*)(.[0-9]+)?} at {@code p}; returns the index after it, or -1 if the text is not
     * such a number or needs normalising (an exponent follows, or it is a negative zero).
     */
    static int plainNumber(byte[] b, int p, int n) {
        boolean neg = false;
        if (p < n && b[p] == '-') {
            neg = true;
            p++;
        }
        int start = p;
        int whole = digitRun(b, p, n);
        if (whole == 0 || (whole > 1 && b[p] == '0')) {
            return -1;
        }
        boolean nonZero = whole > 1 || b[p] != '0';
        p += whole;
        if (p < n && b[p] == '.') {
            int frac = digitRun(b, p + 1, n);
            if (frac == 0) {
                return -1;
            }
            for (int i = p + 1; i <= p + frac && !nonZero; i++) {
                nonZero = b[i] != '0';
            }
            p += 1 + frac;
        }
        if (p < n && (b[p] == 'e' || b[p] == 'E')) {
            return -1;
        }
        if (neg && !nonZero) {
            return -1; // -0 is written as 0: the general path normalises it
        }
        return start == p ? -1 : p;
    }
}
