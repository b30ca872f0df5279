package com.mexcpipe.testkit.soak;

import com.mexcpipe.common.Env;
import com.mexcpipe.common.clickhouse.ClickHouseSettings;
import com.mexcpipe.common.cli.Command;
import com.mexcpipe.common.cli.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine;

/**
 * {@code testkit rotation-soak --rotations N --rate R}: simulator → client → store model (or real ClickHouse when
 * {@code CLICKHOUSE_URL} is set) → exporter with frequent rotations; prints sent/stored/exported/lost/duplicated and
 * exits 0 only when lost = duplicated = 0.
 */
@CommandLine.Command(name = "rotation-soak", mixinStandardHelpOptions = true,
        description = "Frequent rotations under load; exit 0 only when no event is lost or duplicated.")
public final class RotationSoakCommand extends Command {
    @CommandLine.Option(names = "--rotations", defaultValue = "20")
    int rotations = 20;

    @CommandLine.Option(names = "--rate", defaultValue = "5000", description = "frames per second (default 5000)")
    double rate = 5000;

    @CommandLine.Option(names = "--interval-ms", defaultValue = "500", description = "time between rotations")
    long intervalMs = 500;

    @CommandLine.Option(names = "--skip-pause", description = "negative control: the client does not pause")
    boolean skipPause;

    @Override
    protected int run() throws Exception {
        RotationSoak soak = new RotationSoak().rotations(rotations).rate(rate).interval(Duration.ofMillis(intervalMs))
                .skipPause(skipPause);
        Env env = Env.system();
        if (env.raw("CLICKHOUSE_URL") != null) {
            ClickHouseSettings ch = ClickHouseSettings.fromEnv(env);
            env.validate();
            try (var c = ch.connect(); var st = c.createStatement()) {
                st.execute("CREATE DATABASE IF NOT EXISTS " + ClickHouseSettings.quote(ch.database()));
            }
            soak.clickHouse(ch);
            System.out.println("store: " + ch);
        } else {
            System.out.println("store: table-store model (set CLICKHOUSE_URL for a real ClickHouse)");
        }
        Path dir = Files.createTempDirectory("rotation-soak-");
        RotationSoak.Result r = soak.run(dir);
        System.out.printf("sent %d frames (%d events); stored %d = exported %d (%d files from %d rotations) + %d still in"
                + " current; lost %d, duplicated %d%n", r.framesSent(), r.eventsSent(), r.stored(), r.exported(),
                r.files(), r.rotated(), r.inCurrent(), r.lost(), r.duplicated());
        System.out.println(r.json());
        return r.ok() ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
