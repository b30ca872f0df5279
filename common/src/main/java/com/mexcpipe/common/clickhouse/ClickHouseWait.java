package com.mexcpipe.common.clickhouse;

import com.mexcpipe.common.cli.UnavailableException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Waits (bounded, with progress logs) until ClickHouse answers {@code SELECT version()}. */
public final class ClickHouseWait {
    private static final Logger log = LoggerFactory.getLogger(ClickHouseWait.class);

    private ClickHouseWait() {
    }

    /** Returns the server version; throws {@link UnavailableException} after {@code max}. */
    public static String untilReady(ClickHouseSettings ch, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        long nextLog = 0;
        String last = null;
        int attempt = 0;
        while (true) {
            attempt++;
            try (Connection c = ch.connect(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT version()")) {
                rs.next();
                String v = rs.getString(1);
                log.info("ClickHouse {} at {} is up (attempt {})", v, ch.endpoint(), attempt);
                return v;
            } catch (SQLException | RuntimeException e) {
                ClickHouseErrors.Failure f = ClickHouseErrors.classify(e);
                if (!f.retryable()) {
                    throw new UnavailableException("ClickHouse at " + ch.endpoint() + " refuses us: " + f.message()
                            + " (check CLICKHOUSE_USER / CLICKHOUSE_PASSWORD)", e);
                }
                last = f.message();
            }
            long now = System.nanoTime();
            if (now >= deadline) {
                throw new UnavailableException("ClickHouse not reachable at " + ch.endpoint() + " after "
                        + max.toSeconds() + " s (last error: " + last + ")");
            }
            if (now >= nextLog) {
                log.info("waiting for ClickHouse at {} ({} s left): {}", ch.endpoint(),
                        Duration.ofNanos(deadline - now).toSeconds(), last);
                nextLog = now + Duration.ofSeconds(5).toNanos();
            }
            Thread.sleep(Math.min(1000, Math.max(1, Duration.ofNanos(deadline - now).toMillis())));
        }
    }
}
