package com.mexcpipe.client.codec;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * A strict JSON scanner over one frame (RFC 8259 grammar). It validates as it goes and exposes tokens as index spans,
 * so number text is kept exactly as sent (never through {@code double}). Any grammar violation throws
 * {@link Malformed#INSTANCE}.
 *
 * <p>It scans the frame as ISO-8859-1 bytes ({@code String.getBytes}: a plain copy for the usual Latin-1 string):
 * one byte per character, so indexes equal the String's; a character above U+00FF becomes {@code '?'}, which can
 * never be JSON structure, so validity is exactly that of the text. Text is always taken from the String itself.
 */
final class JsonCursor {
    byte[] buf = new byte[0];
    int len;
    private int pos;
    private String source;

    /** Span of the last string read (without quotes) and whether it contained escapes. */
    int strStart;
    int strEnd;
    boolean strEscaped;

    /** Span of the last number read, whether it needs normalising to plain text, and whether it is integral. */
    int numStart;
    int numEnd;
    boolean numNeedsPlain;
    boolean numHasFraction;

    /** Nesting limit: frames are shallow; a deep one is malformed, not a stack overflow. */
    private static final int MAX_DEPTH = 64;

    void reset(String text) {
        buf = text.getBytes(StandardCharsets.ISO_8859_1);
        len = buf.length;
        pos = 0;
        source = text;
    }

    String source() {
        return source;
    }

    int pos() {
        return pos;
    }

    void pos(int p) {
        pos = p;
    }

    /** Skips JSON whitespace from {@code p}; returns the new position. */
    private int ws(int p) {
        byte[] b = buf;
        int n = len;
        while (p < n) {
            byte c = b[p];
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                p++;
            } else {
                break;
            }
        }
        return p;
    }

    void skipWs() {
        pos = ws(pos);
    }

    /** Next non-whitespace char without consuming it, or -1 at the end. */
    int peek() {
        int p = ws(pos);
        pos = p;
        return p < len ? buf[p] : -1;
    }

    void expect(char c) {
        int p = pos;
        if (p < len && buf[p] == c) {
            pos = p + 1;
            return;
        }
        p = ws(p);
        if (p >= len || buf[p] != c) {
            throw Malformed.INSTANCE;
        }
        pos = p + 1;
    }

    /** Consumes {@code c} if it is next (after whitespace). */
    boolean consume(char c) {
        int p = ws(pos);
        if (p < len && buf[p] == c) {
            pos = p + 1;
            return true;
        }
        pos = p;
        return false;
    }

    void expectEnd() {
        if (ws(pos) != len) {
            throw Malformed.INSTANCE;
        }
    }

    /** After an element of an object or array: true if another element follows, false at the closing char. */
    boolean more(char close) {
        int p = pos;
        if (p < len) {
            byte c = buf[p];
            if (c == ',') {
                pos = p + 1;
                return true;
            }
            if (c == close) {
                pos = p + 1;
                return false;
            }
        }
        p = ws(p);
        if (p < len) {
            byte c = buf[p];
            pos = p + 1;
            if (c == ',') {
                return true;
            }
            if (c == close) {
                return false;
            }
        }
        throw Malformed.INSTANCE;
    }

    /** Reads a string token; sets {@link #strStart}/{@link #strEnd}/{@link #strEscaped}. */
    void readString() {
        byte[] b = buf;
        int n = len;
        int p = ws(pos);
        if (p >= n || b[p] != '"') {
            throw Malformed.INSTANCE;
        }
        int i = p + 1;
        boolean escaped = false;
        while (true) {
            if (i >= n) {
                throw Malformed.INSTANCE;
            }
            byte c = b[i];
            if (c == '"') {
                break;
            }
            if (c >= 0 && c < 0x20) {
                throw Malformed.INSTANCE; // raw control characters (a tab, a newline) are not allowed in strings
            }
            if (c == '\\') {
                escaped = true;
                if (i + 1 >= n) {
                    throw Malformed.INSTANCE;
                }
                byte e = b[i + 1];
                switch (e) {
                    case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> i += 2;
                    case 'u' -> {
                        if (i + 6 > n) {
                            throw Malformed.INSTANCE;
                        }
                        for (int k = i + 2; k < i + 6; k++) {
                            if (Character.digit((char) (b[k] & 0xff), 16) < 0) {
                                throw Malformed.INSTANCE;
                            }
                        }
                        i += 6;
                    }
                    default -> throw Malformed.INSTANCE;
                }
                continue;
            }
            i++;
        }
        strStart = p + 1;
        strEnd = i;
        strEscaped = escaped;
        pos = i + 1;
    }

    /** True if the last string read equals {@code literal} (decoding escapes if it had any). */
    boolean stringIs(String literal) {
        if (!strEscaped) {
            return spanIs(strStart, strEnd, literal);
        }
        return decodedString().equals(literal);
    }

    /** True if the unescaped span {@code [start, end)} holds exactly {@code literal}. */
    boolean spanIs(int start, int end, String literal) {
        int n = literal.length();
        if (end - start != n) {
            return false;
        }
        byte[] b = buf;
        for (int k = 0; k < n; k++) {
            if (b[start + k] != (byte) literal.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** The last string read, with escapes decoded (from the String, so any character survives). */
    String decodedString() {
        String s = source;
        if (!strEscaped) {
            return s.substring(strStart, strEnd);
        }
        StringBuilder sb = new StringBuilder(strEnd - strStart);
        for (int i = strStart; i < strEnd; i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    sb.append((char) Integer.parseInt(s, i + 1, i + 5, 16));
                    i += 4;
                }
                default -> sb.append(e);
            }
        }
        return sb.toString();
    }

    /** The text of the last number read. */
    String numberText() {
        return source.substring(numStart, numEnd);
    }

    /**
     * Exponents beyond this are not taken as values: the plain text of {@code 1e999999999} would be a gigabyte (and
     * {@code BigDecimal} cannot hold {@code 1e9999999999} at all). Real frames use exponents like {@code E+4}.
     */
    static final int MAX_EXPONENT = 1000;

    /**
     * The last number read as a {@link BigDecimal}; {@link Malformed} if its exponent is beyond
     * ±{@link #MAX_EXPONENT}.
     */
    BigDecimal decimal() {
        return decimal(numStart, numEnd);
    }

    private BigDecimal decimal(int start, int end) {
        byte[] b = buf;
        for (int i = start; i < end; i++) {
            if (b[i] == 'e' || b[i] == 'E') {
                long exponent = 0;
                for (int k = i + 1; k < end && exponent <= MAX_EXPONENT; k++) {
                    if (b[k] >= '0' && b[k] <= '9') {
                        exponent = exponent * 10 + (b[k] - '0');
                    }
                }
                if (exponent > MAX_EXPONENT) {
                    throw Malformed.INSTANCE;
                }
                break;
            }
        }
        return new BigDecimal(source.substring(start, end));
    }

    /**
     * Appends the number at {@code [start, end)} as a plain decimal: as sent, or normalised when it must be
     * ({@link Malformed} if that is not possible, see {@link #MAX_EXPONENT}).
     */
    void appendNumber(CharOut out, int start, int end, boolean needsPlain) {
        if (needsPlain) {
            out.append(decimal(start, end).toPlainString());
        } else {
            out.append(buf, start, end - start);
        }
    }

    /** True if the next value is a number (after whitespace). */
    boolean atNumber() {
        int c = peek();
        return c == '-' || (c >= '0' && c <= '9');
    }

    /** True if the next value is a string. */
    boolean atString() {
        return peek() == '"';
    }

    /**
     * Reads a number token per the JSON grammar {@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?}. Sets
     * {@link #numNeedsPlain} when its text is not already the plain decimal {@code BigDecimal.toPlainString()}
     * would give (an exponent, or a negative zero).
     */
    void readNumber() {
        byte[] b = buf;
        int n = len;
        int start = ws(pos);
        int i = start;
        boolean negative = false;
        if (i < n && b[i] == '-') {
            negative = true;
            i++;
        }
        if (i >= n) {
            throw Malformed.INSTANCE;
        }
        byte c = b[i];
        boolean nonZeroDigit = false;
        if (c == '0') {
            i++;
        } else if (c >= '1' && c <= '9') {
            nonZeroDigit = true;
            i++;
            while (i < n && (c = b[i]) >= '0' && c <= '9') {
                i++;
            }
        } else {
            throw Malformed.INSTANCE;
        }
        boolean fraction = false;
        if (i < n && b[i] == '.') {
            fraction = true;
            i++;
            int digits = i;
            while (i < n && (c = b[i]) >= '0' && c <= '9') {
                if (c != '0') {
                    nonZeroDigit = true;
                }
                i++;
            }
            if (i == digits) {
                throw Malformed.INSTANCE;
            }
        }
        boolean exponent = false;
        if (i < n && ((c = b[i]) == 'e' || c == 'E')) {
            exponent = true;
            i++;
            if (i < n && ((c = b[i]) == '+' || c == '-')) {
                i++;
            }
            int digits = i;
            while (i < n && (c = b[i]) >= '0' && c <= '9') {
                i++;
            }
            if (i == digits) {
                throw Malformed.INSTANCE;
            }
        }
        numStart = start;
        numEnd = i;
        numNeedsPlain = exponent || (negative && !nonZeroDigit);
        numHasFraction = fraction || exponent;
        pos = i;
    }

    /** Validates and skips any value. */
    void skipValue() {
        skipValue(0);
    }

    private void skipValue(int depth) {
        if (depth > MAX_DEPTH) {
            throw Malformed.INSTANCE;
        }
        int c = peek();
        switch (c) {
            case '"' -> readString();
            case '{' -> {
                pos++;
                if (consume('}')) {
                    return;
                }
                do {
                    readString();
                    expect(':');
                    skipValue(depth + 1);
                } while (more('}'));
            }
            case '[' -> {
                pos++;
                if (consume(']')) {
                    return;
                }
                do {
                    skipValue(depth + 1);
                } while (more(']'));
            }
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    readNumber();
                } else {
                    throw Malformed.INSTANCE;
                }
            }
        }
    }

    private void literal(String word) {
        if (!spanIs(pos, Math.min(len, pos + word.length()), word)) {
            throw Malformed.INSTANCE;
        }
        pos += word.length();
    }
}
