package com.mexcpipe.exporter;

import com.mexcpipe.common.cli.Cli;
import com.mexcpipe.common.cli.Command;
import com.mexcpipe.common.cli.ExitCodes;
import com.mexcpipe.exporter.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code exporter.jar}: the exporter's command line (only {@code bench} so far). */
@CommandLine.Command(name = "exporter.jar", mixinStandardHelpOptions = true,
        versionProvider = ExporterMain.Version.class,
        description = "mexc-pipe exporter: hourly rotation of ClickHouse tables into Parquet files.",
        subcommands = {BenchCommand.class})
public final class ExporterMain extends Command {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        Cli.main(new ExporterMain(), args);
    }

    /** No subcommand: print usage (the export service itself is not written yet). */
    @Override
    protected int run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {ExporterVersion.producer()};
        }
    }
}
