package com.mexcpipe.common.clickhouse;

import com.clickhouse.client.api.ServerException;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Set;

/**
 * Classifies a failed ClickHouse call at the one write boundary. Neither class drops data: a retryable failure is
 * retried with backoff; a fatal one (it will not heal by itself: wrong password, missing database, a rejected
 * statement) is retried only slowly and marks the service unhealthy so an operator sees it.
 */
public final class ClickHouseErrors {
    public enum Kind {
        RETRYABLE,
        FATAL
    }

    /** What went wrong, for logs and metrics. */
    public record Failure(Kind kind, int code, String message) {
        public boolean retryable() {
            return kind == Kind.RETRYABLE;
        }
    }

    /** Server codes that retrying the same request cannot fix. 60 (UNKNOWN_TABLE) is absent on purpose: it is
     *  transient while a rotation swaps {@code _current}. */
    private static final Set<Integer> FATAL_CODES = Set.of(
            6, // CANNOT_PARSE_TEXT
            16, // NO_SUCH_COLUMN_IN_TABLE
            27, // CANNOT_PARSE_INPUT_ASSERTION_FAILED
            36, // BAD_ARGUMENTS
            47, // UNKNOWN_IDENTIFIER
            53, // TYPE_MISMATCH
            62, // SYNTAX_ERROR
            81, // UNKNOWN_DATABASE
            115, // UNKNOWN_SETTING
            164, // READONLY
            192, // UNKNOWN_USER
            193, // WRONG_PASSWORD
            194, // REQUIRED_PASSWORD
            497, // ACCESS_DENIED
            516 // AUTHENTICATION_FAILED
    );

    private ClickHouseErrors() {
    }

    public static Failure classify(Throwable t) {
        int code = serverCode(t);
        String msg = firstLine(t);
        if (code > 0) {
            return new Failure(FATAL_CODES.contains(code) ? Kind.FATAL : Kind.RETRYABLE, code, msg);
        }
        // no server answer: network, timeout, server restarting -> retry
        return new Failure(Kind.RETRYABLE, 0, msg);
    }

    /** The ClickHouse server error code in the cause chain, or 0 when the server did not answer with one. */
    public static int serverCode(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ServerException se && se.getCode() > 0) {
                return se.getCode();
            }
            if (c instanceof SQLException sql && sql.getErrorCode() > 0) {
                return sql.getErrorCode();
            }
        }
        return 0;
    }

    /** One line for logs and status: the server's message, or for a network failure its root cause. */
    private static String firstLine(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        Throwable shown = serverCode(t) > 0 || !(root instanceof IOException) ? t : root;
        String m = String.valueOf(shown.getMessage());
        int nl = m.indexOf('\n');
        return shown.getClass().getSimpleName() + ": " + (nl < 0 ? m : m.substring(0, nl));
    }
}
