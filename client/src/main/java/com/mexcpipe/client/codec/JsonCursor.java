package com.mexcpipe.client.codec;

/**
 * A strict, allocation-free JSON scanner over one frame (RFC 8259 grammar). It validates as it goes and exposes
 * tokens as index spans of the source text, so number text is kept exactly as sent (never through
 * {@code double}). Any grammar violation throws {@link Malformed#INSTANCE}.
 */
final class JsonCursor {
    private String s;
    private int pos;
    private int len;

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
        this.s = text;
        this.pos = 0;
        this.len = text.length();
    }

    String source() {
        return s;
    }

    int pos() {
        return pos;
    }

    void pos(int p) {
        pos = p;
    }

    void skipWs() {
        while (pos < len) {
            char c = s.charAt(pos);
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                pos++;
            } else {
                return;
            }
        }
    }

    /** Next non-whitespace char without consuming it, or -1 at the end. */
    int peek() {
        skipWs();
        return pos < len ? s.charAt(pos) : -1;
    }

    void expect(char c) {
        skipWs();
        if (pos >= len || s.charAt(pos) != c) {
            throw Malformed.INSTANCE;
        }
        pos++;
    }

    /** Consumes {@code c} if it is next (after whitespace). */
    boolean consume(char c) {
        skipWs();
        if (pos < len && s.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    void expectEnd() {
        skipWs();
        if (pos != len) {
            throw Malformed.INSTANCE;
        }
    }

    /** After an element of an object or array: true if another element follows, false at the closing char. */
    boolean more(char close) {
        skipWs();
        if (pos < len) {
            char c = s.charAt(pos++);
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
        skipWs();
        if (pos >= len || s.charAt(pos) != '"') {
            throw Malformed.INSTANCE;
        }
        int i = pos + 1;
        boolean escaped = false;
        while (true) {
            if (i >= len) {
                throw Malformed.INSTANCE;
            }
            char c = s.charAt(i);
            if (c == '"') {
                break;
            }
            if (c < 0x20) {
                throw Malformed.INSTANCE; // raw control characters (a tab, a newline) are not allowed in strings
            }
            if (c == '\\') {
                escaped = true;
                if (i + 1 >= len) {
                    throw Malformed.INSTANCE;
                }
                char e = s.charAt(i + 1);
                switch (e) {
                    case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> i += 2;
                    case 'u' -> {
                        if (i + 6 > len) {
                            throw Malformed.INSTANCE;
                        }
                        for (int k = i + 2; k < i + 6; k++) {
                            if (Character.digit(s.charAt(k), 16) < 0) {
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
        strStart = pos + 1;
        strEnd = i;
        strEscaped = escaped;
        pos = i + 1;
    }

    /** True if the last string read equals {@code literal} (decoding escapes if it had any). */
    boolean stringIs(String literal) {
        if (!strEscaped) {
            return strEnd - strStart == literal.length() && s.regionMatches(strStart, literal, 0, literal.length());
        }
        return decodedString().equals(literal);
    }

    /** The last string read, with escapes decoded. */
    String decodedString() {
        if (!strEscaped) {
            return s.substring(strStart, strEnd);
        }
        StringBuilder b = new StringBuilder(strEnd - strStart);
        for (int i = strStart; i < strEnd; i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    b.append((char) Integer.parseInt(s, i + 1, i + 5, 16));
                    i += 4;
                }
                default -> b.append(e);
            }
        }
        return b.toString();
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
        skipWs();
        int i = pos;
        boolean negative = false;
        if (i < len && s.charAt(i) == '-') {
            negative = true;
            i++;
        }
        if (i >= len) {
            throw Malformed.INSTANCE;
        }
        char c = s.charAt(i);
        boolean nonZeroDigit = false;
        if (c == '0') {
            i++;
        } else if (c >= '1' && c <= '9') {
            nonZeroDigit = true;
            i++;
            while (i < len && (c = s.charAt(i)) >= '0' && c <= '9') {
                i++;
            }
        } else {
            throw Malformed.INSTANCE;
        }
        boolean fraction = false;
        if (i < len && s.charAt(i) == '.') {
            fraction = true;
            i++;
            int digits = i;
            while (i < len && (c = s.charAt(i)) >= '0' && c <= '9') {
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
        if (i < len && ((c = s.charAt(i)) == 'e' || c == 'E')) {
            exponent = true;
            i++;
            if (i < len && ((c = s.charAt(i)) == '+' || c == '-')) {
                i++;
            }
            int digits = i;
            while (i < len && (c = s.charAt(i)) >= '0' && c <= '9') {
                i++;
            }
            if (i == digits) {
                throw Malformed.INSTANCE;
            }
        }
        numStart = pos;
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
        if (!s.startsWith(word, pos)) {
            throw Malformed.INSTANCE;
        }
        pos += word.length();
    }
}
