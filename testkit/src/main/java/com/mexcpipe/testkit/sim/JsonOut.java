package com.mexcpipe.testkit.sim;

/**
 * A tiny JSON writer that keeps the caller's key order and number text exactly, with the whitespace styles seen live
 * (compact, spaces after separators, 2/4-space and tab indentation).
 */
final class JsonOut {
    enum Style { COMPACT, SPACED, PRETTY2, PRETTY4, TABS }

    private final StringBuilder sb;
    private final Style style;
    private final boolean[] empty = new boolean[32];
    private int depth;
    private boolean afterKey;

    JsonOut(Style style, int capacity) {
        this.style = style;
        this.sb = new StringBuilder(capacity);
    }

    JsonOut(Style style) {
        this(style, 256);
    }

    private boolean pretty() {
        return style == Style.PRETTY2 || style == Style.PRETTY4 || style == Style.TABS;
    }

    private void indent(int d) {
        sb.append('\n');
        String unit = style == Style.PRETTY2 ? "  " : style == Style.PRETTY4 ? "    " : "\t";
        for (int i = 0; i < d; i++) {
            sb.append(unit);
        }
    }

    private void beforeValue() {
        if (afterKey) {
            afterKey = false;
            return;
        }
        if (depth == 0) {
            return;
        }
        if (!empty[depth]) {
            sb.append(',');
            if (style == Style.SPACED) {
                sb.append(' ');
            }
        }
        if (pretty()) {
            indent(depth);
        }
        empty[depth] = false;
    }

    JsonOut beginObject() {
        beforeValue();
        sb.append('{');
        empty[++depth] = true;
        return this;
    }

    JsonOut endObject() {
        return close('}');
    }

    JsonOut beginArray() {
        beforeValue();
        sb.append('[');
        empty[++depth] = true;
        return this;
    }

    JsonOut endArray() {
        return close(']');
    }

    private JsonOut close(char c) {
        boolean wasEmpty = empty[depth];
        depth--;
        if (pretty() && !wasEmpty) {
            indent(depth);
        }
        sb.append(c);
        return this;
    }

    JsonOut name(String key) {
        beforeValue();
        quote(key);
        sb.append(':');
        if (style != Style.COMPACT) {
            sb.append(' ');
        }
        afterKey = true;
        return this;
    }

    /** A number (or any JSON) written exactly as given. */
    JsonOut raw(String json) {
        beforeValue();
        sb.append(json);
        return this;
    }

    JsonOut num(long v) {
        beforeValue();
        sb.append(v);
        return this;
    }

    JsonOut str(String s) {
        beforeValue();
        quote(s);
        return this;
    }

    private void quote(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
