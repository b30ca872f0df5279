package com.mexcpipe.testkit.chdb;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The little SQL lexing the endpoint needs, on UTF-8 bytes (every token it looks at is ASCII): the first keyword, the
 * multi-statement guard, and the shape of an INSERT with data. It skips quoted strings and identifiers ({@code '..'},
 * {@code ".."}, {@code `..`} with backslash escapes and doubled quotes) and comments ({@code --}, {@code # },
 * {@code #!}, nested {@code /* *}{@code /}).
 */
final class SqlText {
    private SqlText() {
    }

    /** How an INSERT carries its data. */
    enum InsertKind {
        /** {@code ... FORMAT X} followed by data (X is not Values). */
        FORMAT,
        /** {@code ... VALUES} (or {@code FORMAT Values}) followed by tuples. */
        VALUES,
        /** {@code INSERT ... SELECT}, {@code FROM INFILE} or anything else: run as it is. */
        OTHER
    }

    /**
     * The parts of an INSERT: {@code sql[0, headEnd)} is {@code INSERT INTO t [(cols)]}, {@code sql[settingsStart,
     * settingsEnd)} the SETTINGS clause ({@code settingsStart < 0} when absent), the data starts at {@code dataStart}.
     */
    record InsertShape(InsertKind kind, int headEnd, int settingsStart, int settingsEnd, String format, int dataStart) {
        static final InsertShape OTHER = new InsertShape(InsertKind.OTHER, -1, -1, -1, null, -1);
    }

    /** The first keyword, upper-cased ({@code "SELECT"}, {@code "INSERT"}, ...), or "" when there is none. */
    static String firstKeyword(byte[] sql, int end) {
        int i = skipSpaceAndComments(sql, 0, end);
        int j = identEnd(sql, i, end);
        return j > i ? ascii(sql, i, j).toUpperCase(Locale.ROOT) : "";
    }

    /** True when there is nothing but whitespace and comments in {@code sql[from, end)}. */
    static boolean isBlank(byte[] sql, int from, int end) {
        return skipSpaceAndComments(sql, from, end) >= end;
    }

    /**
     * The multi-statement guard: the index of a top-level {@code ;} followed by anything other than whitespace,
     * comments or more semicolons, or -1 when {@code sql[0, end)} is one statement.
     */
    static int secondStatement(byte[] sql, int end) {
        int i = 0;
        while (i < end) {
            int c = sql[i] & 0xff;
            int skipped = skipQuotedOrComment(sql, i, end);
            if (skipped > i) {
                i = skipped;
            } else if (c == ';') {
                int j = i + 1;
                while (true) {
                    j = skipSpaceAndComments(sql, j, end);
                    if (j < end && sql[j] == ';') {
                        j++;
                    } else {
                        break;
                    }
                }
                return j < end ? i : -1;
            } else {
                i++;
            }
        }
        return -1;
    }

    /**
     * The shape of {@code sql[0, end)} when it is an INSERT carrying data; the scan stops at the first top-level
     * FORMAT, VALUES or SELECT, so a 13 MB VALUES statement costs only its head.
     */
    static InsertShape insertShape(byte[] sql, int end) {
        int i = skipSpaceAndComments(sql, 0, end);
        int j = identEnd(sql, i, end);
        if (!keyword(sql, i, j, "INSERT")) {
            return InsertShape.OTHER;
        }
        i = skipSpaceAndComments(sql, j, end);
        j = identEnd(sql, i, end);
        if (!keyword(sql, i, j, "INTO")) {
            return InsertShape.OTHER;
        }
        i = skipSpaceAndComments(sql, j, end);
        j = identEnd(sql, i, end);
        if (keyword(sql, i, j, "TABLE") || keyword(sql, i, j, "FUNCTION")) {
            i = skipSpaceAndComments(sql, j, end);
        }
        // the table name (or function name), possibly db.table, possibly quoted: never a keyword
        i = skipName(sql, i, end);
        int settingsStart = -1;
        for (i = nextTopLevelWord(sql, i, end); i < end; i = nextTopLevelWord(sql, j, end)) {
            j = identEnd(sql, i, end);
            if (settingsStart < 0 && keyword(sql, i, j, "SETTINGS")) {
                settingsStart = i;
            } else if (keyword(sql, i, j, "VALUES")) {
                return values(i, settingsStart, j);
            } else if (keyword(sql, i, j, "FORMAT")) {
                int f = skipSpaceAndComments(sql, j, end);
                int g = identEnd(sql, f, end);
                if (g == f) {
                    return InsertShape.OTHER;
                }
                String format = ascii(sql, f, g);
                if (format.equalsIgnoreCase("Values")) {
                    return values(i, settingsStart, g);
                }
                return new InsertShape(InsertKind.FORMAT, settingsStart < 0 ? i : settingsStart, settingsStart,
                        settingsStart < 0 ? -1 : i, format, dataStart(sql, g, end));
            } else if (keyword(sql, i, j, "SELECT") || keyword(sql, i, j, "WITH") || keyword(sql, i, j, "FROM")) {
                return InsertShape.OTHER;
            }
        }
        return InsertShape.OTHER;
    }

    private static InsertShape values(int keywordStart, int settingsStart, int dataStart) {
        return new InsertShape(InsertKind.VALUES, settingsStart < 0 ? keywordStart : settingsStart, settingsStart,
                settingsStart < 0 ? -1 : keywordStart, "Values", dataStart);
    }

    /**
     * Where data starts after a format name: spaces, tabs and CRs are skipped, then one newline; if something else
     * comes first, the data starts there.
     */
    private static int dataStart(byte[] sql, int i, int end) {
        int j = i;
        while (j < end && (sql[j] == ' ' || sql[j] == '\t' || sql[j] == '\r')) {
            j++;
        }
        if (j < end && sql[j] == '\n') {
            return j + 1;
        }
        return j;
    }

    /** The top-level {@code FORMAT name} of a (non-INSERT) query, or null; only for short queries. */
    static String formatClause(byte[] sql, int end) {
        String format = null;
        for (int i = nextTopLevelWord(sql, 0, end); i < end; ) {
            int j = identEnd(sql, i, end);
            if (keyword(sql, i, j, "FORMAT")) {
                int f = skipSpaceAndComments(sql, j, end);
                int g = identEnd(sql, f, end);
                // a FORMAT clause ends the query, or is followed by SETTINGS (not "SELECT x AS format FROM t")
                int rest = skipSpaceAndComments(sql, g, end);
                if (g > f && (rest >= end || sql[rest] == ';'
                        || keyword(sql, rest, identEnd(sql, rest, end), "SETTINGS"))) {
                    format = ascii(sql, f, g);
                }
                j = g > f ? g : j;
            }
            i = nextTopLevelWord(sql, j, end);
        }
        return format;
    }

    /**
     * The start of the next word outside parentheses at or after {@code i} (quoted parts, comments and words inside
     * parentheses skipped), or {@code end}.
     */
    private static int nextTopLevelWord(byte[] sql, int i, int end) {
        int depth = 0;
        while (i < end) {
            int skipped = skipQuotedOrComment(sql, i, end);
            if (skipped > i) {
                i = skipped;
                continue;
            }
            int c = sql[i] & 0xff;
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (isIdentStart(c)) {
                if (depth == 0) {
                    return i;
                }
                i = identEnd(sql, i, end);
                continue;
            }
            i++;
        }
        return end;
    }

    static int skipSpaceAndComments(byte[] sql, int i, int end) {
        while (i < end) {
            int c = sql[i] & 0xff;
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b) {
                i++;
            } else {
                int skipped = skipComment(sql, i, end);
                if (skipped == i) {
                    return i;
                }
                i = skipped;
            }
        }
        return i;
    }

    /** The index after a quoted string/identifier or comment starting at {@code i}, or {@code i}. */
    private static int skipQuotedOrComment(byte[] sql, int i, int end) {
        int c = sql[i] & 0xff;
        if (c == '\'' || c == '"' || c == '`') {
            return skipQuoted(sql, i, end);
        }
        return skipComment(sql, i, end);
    }

    private static int skipComment(byte[] sql, int i, int end) {
        int c = sql[i] & 0xff;
        int next = i + 1 < end ? sql[i + 1] & 0xff : -1;
        if ((c == '-' && next == '-') || (c == '#' && (next == ' ' || next == '!'))) {
            int j = i + 2;
            while (j < end && sql[j] != '\n') {
                j++;
            }
            return j;
        }
        if (c == '/' && next == '*') {
            int depth = 1;
            int j = i + 2;
            while (j < end && depth > 0) {
                if (sql[j] == '/' && j + 1 < end && sql[j + 1] == '*') {
                    depth++;
                    j += 2;
                } else if (sql[j] == '*' && j + 1 < end && sql[j + 1] == '/') {
                    depth--;
                    j += 2;
                } else {
                    j++;
                }
            }
            return j;
        }
        return i;
    }

    private static int skipQuoted(byte[] sql, int i, int end) {
        byte quote = sql[i];
        int j = i + 1;
        while (j < end) {
            byte b = sql[j];
            if (b == '\\') {
                j += 2;
            } else if (b == quote) {
                if (j + 1 < end && sql[j + 1] == quote) {
                    j += 2;
                } else {
                    return j + 1;
                }
            } else {
                j++;
            }
        }
        return end;
    }

    /** Skips a possibly qualified, possibly quoted name ({@code db.t}, {@code `db`.`t`}). */
    private static int skipName(byte[] sql, int i, int end) {
        while (i < end) {
            int c = sql[i] & 0xff;
            int j;
            if (c == '`' || c == '"') {
                j = skipQuoted(sql, i, end);
            } else {
                j = identEnd(sql, i, end);
            }
            if (j == i) {
                return i;
            }
            i = j;
            if (i < end && sql[i] == '.') {
                i++;
            } else {
                return i;
            }
        }
        return i;
    }

    private static boolean isIdentStart(int c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static int identEnd(byte[] sql, int i, int end) {
        if (i >= end || !isIdentStart(sql[i] & 0xff)) {
            return i;
        }
        int j = i + 1;
        while (j < end) {
            int c = sql[j] & 0xff;
            if (isIdentStart(c) || (c >= '0' && c <= '9')) {
                j++;
            } else {
                break;
            }
        }
        return j;
    }

    private static boolean keyword(byte[] sql, int i, int j, String word) {
        if (j - i != word.length()) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if (Character.toUpperCase((char) (sql[i + k] & 0xff)) != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    static String ascii(byte[] sql, int from, int to) {
        return new String(sql, from, to - from, StandardCharsets.US_ASCII);
    }
}
