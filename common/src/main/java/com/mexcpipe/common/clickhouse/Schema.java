package com.mexcpipe.common.clickhouse;

/** The table layout of DESIGN §2, the only place its DDL is written. */
public final class Schema {
    public static final String COLUMNS =
            "ts DateTime64(3, 'UTC'), mt Enum8('t' = 1, 'd' = 2, 'dp' = 3, 'dl' = 4), m String";

    private Schema() {
    }

    public static String createDatabase(ClickHouseSettings ch) {
        return "CREATE DATABASE IF NOT EXISTS " + ClickHouseSettings.quote(ch.database());
    }

    public static String createTable(ClickHouseSettings ch, String table) {
        return "CREATE TABLE IF NOT EXISTS " + ch.table(table) + " (" + COLUMNS + ") ENGINE = StripeLog";
    }
}
