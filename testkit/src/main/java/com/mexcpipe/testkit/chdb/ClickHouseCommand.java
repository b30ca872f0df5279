package com.mexcpipe.testkit.chdb;

import com.mexcpipe.common.cli.Command;
import com.mexcpipe.common.cli.UnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;

/**
 * {@code testkit clickhouse --port PORT --data DIR}: ClickHouse's HTTP interface backed by chDB, until SIGTERM.
 * Prints exactly one line on stdout once it accepts connections; diagnostics go to stderr.
 */
@CommandLine.Command(
        name = "clickhouse",
        mixinStandardHelpOptions = true,
        description = {"Serve ClickHouse's HTTP interface on 127.0.0.1, backed by the chDB engine (libchdb).",
            "Prints one line 'clickhouse (chDB <version>) listening on http://127.0.0.1:<port>' when ready;"
                + " stops on SIGTERM.",
            "libchdb: --lib, else $CHDB_LIB, else ~/.cache/mexc-pipe/chdb/package/libchdb.so (.ci/fetch-chdb)."})
public final class ClickHouseCommand extends Command {
    @CommandLine.Option(names = "--port", defaultValue = "8123", description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @CommandLine.Option(names = "--data", description = "Data directory (tables in DIR/db); default: a fresh temp dir, deleted on exit.")
    Path data;

    @CommandLine.Option(names = "--lib", description = "Path of libchdb.so.")
    Path lib;

    @CommandLine.Option(names = "--verbose", description = "Log every request to stderr.")
    boolean verbose;

    @Override
    protected int run() throws Exception {
        Path library = lib != null ? lib : ChdbLibrary.locate();
        if (!Files.isRegularFile(library)) {
            throw new UnavailableException("libchdb not found at " + library + ": run .ci/fetch-chdb (npm pack "
                    + ChdbLibrary.PACKAGE + ") or set " + ChdbLibrary.ENV);
        }
        boolean temporary = data == null;
        Path dir = temporary ? Files.createTempDirectory("mexc-pipe-chdb-") : data;
        ChdbServer server;
        try {
            server = ChdbServer.start(library, dir, port, System.err, verbose);
        } catch (IllegalStateException e) {
            // a library that does not load or an engine that does not start: an environment problem, not a bug
            throw new UnavailableException("chDB engine: " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            if (temporary) {
                try {
                    ChdbServer.deleteTree(dir);
                } catch (Exception e) {
                    System.err.println("clickhouse: cannot delete " + dir + ": " + e);
                }
            }
            System.err.println("clickhouse stopped");
        }, "clickhouse-shutdown"));
        System.out.println(server.readyLine());
        System.out.flush();
        new CountDownLatch(1).await(); // until SIGTERM/SIGINT: the shutdown hook closes the engine, the JVM exits
        return 0;
    }
}
