package com.mexcpipe.common.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.ServerException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class ClickHouseErrorsTest {
    @Test
    void networkFailuresAreRetryableAndNamedByTheirRootCause() {
        SQLException e = new SQLException("Query request failed (attempt: 4)",
                new RuntimeException("wrapped", new UnknownHostException("clickhouse: Name or service not known")));
        ClickHouseErrors.Failure f = ClickHouseErrors.classify(e);
        assertThat(f.retryable()).isTrue();
        assertThat(f.code()).isZero();
        assertThat(f.message()).isEqualTo("UnknownHostException: clickhouse: Name or service not known");
    }

    @Test
    void serverCodesDecideRetryableOrFatal() {
        ClickHouseErrors.Failure auth = ClickHouseErrors.classify(new SQLException("Code: 516. Authentication failed",
                "28000", 516));
        assertThat(auth.kind()).isEqualTo(ClickHouseErrors.Kind.FATAL);
        assertThat(auth.message()).startsWith("SQLException: Code: 516");
        ClickHouseErrors.Failure table = ClickHouseErrors.classify(new SQLException("wrapped", new ServerException(60,
                "Table mexc.btc_current does not exist", 404, "q")));
        assertThat(table.code()).isEqualTo(60);
        assertThat(table.retryable()).as("transient while a rotation swaps the table").isTrue();
        assertThat(ClickHouseErrors.classify(new SQLException("Code: 241. Memory limit", "HY000", 241)).retryable())
                .isTrue();
        assertThat(ClickHouseErrors.classify(new SQLException("Code: 62. Syntax error", "42000", 62)).retryable())
                .isFalse();
    }
}
