package com.mexcpipe.testkit.chdb;

import com.mexcpipe.common.cli.Cli;

/**
 * The entry point {@link ChdbProcess} starts in a child JVM; the same as {@code java -jar testkit.jar clickhouse}.
 * Arguments: {@code --port PORT --data DIR [--lib PATH] [--verbose]}.
 */
public final class ChdbServerMain {
    private ChdbServerMain() {
    }

    public static void main(String[] args) {
        Cli.main(new ClickHouseCommand(), args);
    }
}
