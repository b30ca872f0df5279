package com.mexcpipe.exporter;

import com.mexcpipe.common.Env;
import com.mexcpipe.common.Json;
import com.mexcpipe.common.Sleeper;
import com.mexcpipe.common.cli.Cli;
import com.mexcpipe.common.cli.Command;
import com.mexcpipe.common.cli.ExitCodes;
import com.mexcpipe.common.cli.Shutdown;
import com.mexcpipe.common.clickhouse.ClickHouseWait;
import com.mexcpipe.common.http.StatusHttpServer;
import com.mexcpipe.exporter.bench.BenchCommand;
import com.mexcpipe.exporter.export.ExportNames;
import com.mexcpipe.exporter.parquet.ExportWriterOptions;
import com.mexcpipe.exporter.store.ClickHouseTableOps;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * {@code java -jar exporter.jar}: the export service (a rotation + export of every symbol at each UTC hour);
 * {@code java -jar exporter.jar --once}: one rotation + export now, then exit (0 = every symbol fine);
 * {@code java -jar exporter.jar bench}: the Parquet writer benchmark. Configuration: environment variables.
 */
@CommandLine.Command(name = "exporter.jar", mixinStandardHelpOptions = true,
        versionProvider = ExporterMain.Version.class,
        description = {"mexc-pipe exporter: hourly rotation of the ClickHouse tables and verified Parquet export.",
            "Without options it runs the service; configuration is environment variables only (see README)."},
        subcommands = {BenchCommand.class})
public final class ExporterMain extends Command {
    private static final Logger log = LoggerFactory.getLogger(ExporterMain.class);

    @CommandLine.Option(names = "--once", description = "rotate and export every symbol now, print the result, exit")
    boolean once;

    private final Env env;
    private final PrintStream out;

    public ExporterMain() {
        this(Env.system(), System.out);
    }

    public ExporterMain(Env env, PrintStream out) {
        this.env = env;
        this.out = out;
    }

    public static void main(String[] args) {
        Cli.main(new ExporterMain(), args);
    }

    static ExportCycle cycle(ExporterConfig cfg, Clock clock, Sleeper sleeper) {
        return new ExportCycle(cfg.symbols(), new ClickHouseTableOps(cfg.clickHouse()), cfg.controlDir(),
                cfg.exportDir(), clock, sleeper, cfg.rotation(), ExportWriterOptions.defaults()
                        .withThreads(cfg.parquetThreads()).withZstdLevel(cfg.zstdLevel()));
    }

    @Override
    protected int run() throws Exception {
        ExporterConfig cfg = ExporterConfig.fromEnv(env);
        Clock clock = Clock.systemUTC();
        ClickHouseWait.untilReady(cfg.clickHouse(), cfg.clickHouseWait());
        ExportCycle cycle = cycle(cfg, clock, Sleeper.REAL);
        return once ? once(cfg, cycle, clock) : serve(cfg, cycle, clock);
    }

    private int once(ExporterConfig cfg, ExportCycle cycle, Clock clock) throws Exception {
        Optional<CycleLock> lock = CycleLock.acquire(cfg.controlDir(), Duration.ofMinutes(10));
        if (lock.isEmpty()) {
            out.println("another export cycle is still running after 10 minutes; try again later");
            return ExitCodes.FAILED;
        }
        try (CycleLock l = lock.get()) {
            List<ExportCycle.SymbolResult> recovered = cycle.recover();
            List<ExportCycle.SymbolResult> results = cycle.run(ExportNames.hourOf(clock.instant()));
            boolean ok = results.stream().allMatch(ExportCycle.SymbolResult::ok)
                    && recovered.stream().allMatch(ExportCycle.SymbolResult::ok);
            print(recovered, results);
            return ok ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    private void print(List<ExportCycle.SymbolResult> recovered, List<ExportCycle.SymbolResult> results) {
        for (ExportCycle.SymbolResult r : recovered) {
            if (r.exported() || !r.ok()) {
                out.printf("%-10s leftover   %s%n", r.symbol(), r.ok() ? "exported " + r.file() + " (" + r.rows()
                        + " rows)" : "FAILED: " + r.error());
            }
        }
        out.printf("%-10s %-22s %-12s %-28s %10s  %s%n", "SYMBOL", "ROTATION", "OUTCOME", "FILE", "ROWS", "NOTE");
        for (ExportCycle.SymbolResult r : results) {
            String note = !r.ok() ? "FAILED: " + r.error()
                    : r.exported() ? "client counts: " + r.client() : r.rotationNote() == null ? "" : r.rotationNote();
            out.printf("%-10s %-22s %-12s %-28s %10s  %s%n", r.symbol(), r.rotationId() == null ? "-" : r.rotationId(),
                    r.rotation() == null ? "-" : r.rotation().name().toLowerCase(java.util.Locale.ROOT),
                    r.file() == null ? "-" : r.file(), r.exported() ? Long.toString(r.rows()) : "-", note);
        }
        out.flush();
    }

    private int serve(ExporterConfig cfg, ExportCycle cycle, Clock clock) throws Exception {
        Shutdown shutdown = Shutdown.onSignal(120);
        ExporterService service = new ExporterService(cfg, cycle, clock, Sleeper.REAL);
        Thread loop = new Thread(service, "export-schedule");
        try (StatusHttpServer http = new StatusHttpServer(cfg.httpBind(), cfg.httpPort())) {
            http.route("/health", () -> loop.isAlive() ? StatusHttpServer.Response.text(200, "ok\n")
                    : StatusHttpServer.Response.text(503, "unhealthy: the schedule stopped\n"))
                    .route("/status", () -> StatusHttpServer.Response.json(200, status(cfg, service)))
                    .start();
            loop.start();
            log.info("exporter started: symbols {}, exports to {}, control {}, status on :{}", cfg.symbols(),
                    cfg.exportDir(), cfg.controlDir(), http.port());
            shutdown.await();
            log.info("stop requested; finishing the current step");
            service.stop();
            loop.interrupt();
            loop.join(60_000);
        } finally {
            shutdown.done();
        }
        return ExitCodes.OK;
    }

    private static byte[] status(ExporterConfig cfg, ExporterService s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("symbols", cfg.symbols().stream().map(Object::toString).toList());
        m.put("exportDir", cfg.exportDir().toString());
        m.put("lastCycleAt", s.lastCycleAt());
        m.put("nextCycleAt", s.nextCycleAt());
        m.put("lastResults", s.lastResults());
        try {
            return Json.MAPPER.writeValueAsBytes(m);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {ExporterVersion.producer()};
        }
    }
}
