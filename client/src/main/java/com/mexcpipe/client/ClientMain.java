package com.mexcpipe.client;

import com.mexcpipe.client.cli.DecodeCommand;
import com.mexcpipe.client.store.ClickHouseRowStore;
import com.mexcpipe.common.Env;
import com.mexcpipe.common.cli.Cli;
import com.mexcpipe.common.cli.Command;
import com.mexcpipe.common.cli.ExitCodes;
import com.mexcpipe.common.cli.Shutdown;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import com.mexcpipe.common.cli.Version;
import picocli.CommandLine;

/**
 * {@code java -jar client.jar}: runs the collector for {@code SYMBOL} (configured by environment variables only);
 * {@code java -jar client.jar decode}: the codec's command-line face.
 */
@CommandLine.Command(name = "client.jar", mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {"Collects MEXC futures ticker, deal and depth frames for SYMBOL into ClickHouse.",
            "Without a command it runs the collector; configuration is environment variables only (see README)."},
        subcommands = {DecodeCommand.class})
public final class ClientMain extends Command {
    private static final Logger log = LoggerFactory.getLogger(ClientMain.class);

    public static void main(String[] args) {
        Cli.main(new ClientMain(), args);
    }

    @Override
    protected int run() throws Exception {
        ClientConfig cfg = ClientConfig.fromEnv(Env.system());
        Shutdown shutdown = Shutdown.onSignal(cfg.shutdownFlush().toSeconds() + 20);
        try (ClientRoute route = Routes.choose(cfg);
                ClientRuntime runtime = new ClientRuntime(cfg, new ClickHouseRowStore(cfg.clickHouse(),
                        cfg.symbol().currentTable()), route, Clock.systemUTC()).start()) {
            shutdown.await();
            log.info("stop requested");
        } finally {
            shutdown.done();
        }
        return ExitCodes.OK;
    }
}
