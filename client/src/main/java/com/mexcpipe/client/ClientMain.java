package com.mexcpipe.client;

import com.mexcpipe.client.cli.DecodeCommand;
import com.mexcpipe.common.cli.Cli;
import com.mexcpipe.common.cli.Command;
import com.mexcpipe.common.cli.ExitCodes;
import picocli.CommandLine;

/**
 * {@code java -jar client.jar}: runs the collector for {@code SYMBOL} (configured by environment variables);
 * {@code java -jar client.jar decode}: the codec's command-line face.
 */
@CommandLine.Command(name = "client.jar", mixinStandardHelpOptions = true,
        versionProvider = ClientMain.Version.class,
        description = {"Collects MEXC futures ticker, deal and depth frames for SYMBOL into ClickHouse.",
            "Configuration: environment variables only (see README)."},
        subcommands = {DecodeCommand.class})
public final class ClientMain extends Command {
    public static void main(String[] args) {
        Cli.main(new ClientMain(), args);
    }

    @Override
    protected int run() throws Exception {
        return ExitCodes.INTERNAL;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ClientMain.class.getPackage().getImplementationVersion();
            return new String[] {"mexc-pipe client " + (v == null ? "dev" : v)};
        }
    }
}
