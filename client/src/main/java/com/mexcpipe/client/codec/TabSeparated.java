package com.mexcpipe.client.codec;

import com.mexcpipe.common.RowType;
import java.io.IOException;
import java.io.Writer;

/**
 * Writes rows as ClickHouse TabSeparated: {@code ts_ms \t mt \t m \n}, escaping {@code m} exactly as ClickHouse's
 * TSV output does (checked against the engine: backslash, tab, newline, CR, NUL, backspace, form feed and the single
 * quote get a backslash escape).
 */
public final class TabSeparated {
    private TabSeparated() {
    }

    public static void writeRow(Writer out, long ts, RowType mt, String m) throws IOException {
        out.write(Long.toString(ts));
        out.write('\t');
        out.write(mt.label());
        out.write('\t');
        writeEscaped(out, m);
        out.write('\n');
    }

    public static void writeEscaped(Writer out, String m) throws IOException {
        int run = 0;
        int n = m.length();
        for (int i = 0; i < n; i++) {
            char ch = m.charAt(i);
            char esc = switch (ch) {
                case '\\' -> '\\';
                case '\t' -> 't';
                case '\n' -> 'n';
                case '\r' -> 'r';
                case '\0' -> '0';
                case '\b' -> 'b';
                case '\f' -> 'f';
                case '\'' -> '\'';
                default -> 0;
            };
            if (esc != 0) {
                out.write(m, run, i - run);
                out.write('\\');
                out.write(esc);
                run = i + 1;
            }
        }
        out.write(m, run, n - run);
    }

    /** The inverse of {@link #writeEscaped}, for tests and tools reading the output back. */
    public static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder b = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char ch = field.charAt(i);
            if (ch != '\\' || i + 1 == field.length()) {
                b.append(ch);
                continue;
            }
            char e = field.charAt(++i);
            b.append(switch (e) {
                case 't' -> '\t';
                case 'n' -> '\n';
                case 'r' -> '\r';
                case '0' -> '\0';
                case 'b' -> '\b';
                case 'f' -> '\f';
                default -> e;
            });
        }
        return b.toString();
    }
}
