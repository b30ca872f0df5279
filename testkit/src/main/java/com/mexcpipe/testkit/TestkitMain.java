package com.mexcpipe.testkit;

import com.mexcpipe.common.cli.Cli;
import picocli.CommandLine;

/** {@code java -jar testkit/target/testkit.jar <command>}: test infrastructure, runnable on its own. */
@CommandLine.Command(
        name = "testkit",
        mixinStandardHelpOptions = true,
        description = "mexc-pipe test kit: exchange simulator, private Tor network, ClickHouse (chDB) endpoint, demos.",
        subcommands = {
            // each command is one small class; add new ones here
            com.mexcpipe.testkit.sim.SimulatorCommand.class,
            com.mexcpipe.testkit.demo.DemoCommand.class,
            com.mexcpipe.testkit.chdb.ClickHouseCommand.class,
        })
public final class TestkitMain {
    public static void main(String[] args) {
        Cli.main(new TestkitMain(), args);
    }
}
