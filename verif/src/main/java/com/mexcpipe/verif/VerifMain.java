package com.mexcpipe.verif;

import com.mexcpipe.common.cli.Cli;
import com.mexcpipe.common.cli.Version;
import picocli.CommandLine;

/**
 * {@code java -jar verif.jar ip|ch|parq}: checks a running mexc-pipe from the host (run it from the repo root; it
 * reads {@code .env}). Exit codes: 0 all checks passed, 1 a check failed, 2 bad arguments, 3 a service it needs did
 * not answer, 4 internal error.
 */
@CommandLine.Command(name = "verif.jar", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Verify a running mexc-pipe: ip (Tor exit separation), ch (ClickHouse tables), "
            + "parq (Parquet exports).", "Exit codes: 0 passed, 1 a check failed, 2 usage, 3 unreachable, 4 internal."},
        subcommands = {IpCommand.class, ChCommand.class, ParqCommand.class})
public final class VerifMain {
    public static void main(String[] args) {
        Cli.main(new VerifMain(), args);
    }
}
