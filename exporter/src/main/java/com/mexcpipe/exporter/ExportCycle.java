package com.mexcpipe.exporter;

import com.mexcpipe.common.Sleeper;
import com.mexcpipe.common.Symbol;
import com.mexcpipe.common.control.ControlFolder;
import com.mexcpipe.exporter.export.ExportNames;
import com.mexcpipe.exporter.export.TableExport;
import com.mexcpipe.exporter.parquet.ExportWriterOptions;
import com.mexcpipe.exporter.rotation.ExporterState;
import com.mexcpipe.exporter.rotation.RotationCoordinator;
import com.mexcpipe.exporter.store.TableOps;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One export cycle for every symbol: finish leftover {@code _previous} tables, rotate all symbols (in parallel, so
 * every table closes at the boundary), then export each rotated table.
 */
public final class ExportCycle {
    private static final Logger log = LoggerFactory.getLogger(ExportCycle.class);

    /** What a cycle did for one symbol. */
    public record SymbolResult(String symbol, String rotationId, RotationCoordinator.Outcome rotation,
            String rotationNote, boolean exported, String file, long rows, String client, String error) {
        public boolean ok() {
            return error == null;
        }

        /** The result of an export (after {@code rotation}, or alone with a {@code note} such as "recovery"). */
        static SymbolResult exported(Symbol s, RotationCoordinator.Result rotation, String note, TableExport.Outcome o) {
            return new SymbolResult(s.value(), rotation == null ? null : rotation.id(),
                    rotation == null ? null : rotation.outcome(), rotation == null ? note : rotation.reason(),
                    o.entry() != null, o.file(), o.entry() == null ? 0 : o.entry().total(),
                    o.entry() == null ? null : o.entry().client(), o.ok() ? null : o.reason());
        }

        /** A failure before any export. */
        static SymbolResult failed(Symbol s, String note, String error) {
            return new SymbolResult(s.value(), null, null, note, false, null, 0, null, error);
        }
    }

    private final List<Symbol> symbols;
    private final TableOps tables;
    private final Path controlDir;
    private final Path exportDir;
    private final Clock clock;
    private final Sleeper sleeper;
    private final com.mexcpipe.exporter.rotation.RotationTimeouts timeouts;
    private final ExportWriterOptions writerOptions;
    private Steps steps = Steps.NONE;

    /** Crash points for tests. */
    public ExportCycle steps(Steps s) {
        this.steps = s;
        return this;
    }

    public ExportCycle(List<Symbol> symbols, TableOps tables, Path controlDir, Path exportDir, Clock clock,
            Sleeper sleeper, com.mexcpipe.exporter.rotation.RotationTimeouts timeouts,
            ExportWriterOptions writerOptions) {
        this.symbols = symbols;
        this.tables = tables;
        this.controlDir = controlDir;
        this.exportDir = exportDir;
        this.clock = clock;
        this.sleeper = sleeper;
        this.timeouts = timeouts;
        this.writerOptions = writerOptions;
    }

    RotationCoordinator coordinator(Symbol s) {
        return new RotationCoordinator(s, ControlFolder.of(controlDir, s.base()), tables, state(s), clock, sleeper,
                timeouts, steps);
    }

    ExporterState state(Symbol s) {
        return new ExporterState(controlDir, s.base());
    }

    TableExport exporter(Symbol s) {
        return new TableExport(s, tables, exportDir, state(s), clock, writerOptions, steps);
    }

    /** Start-up: complete cut swaps, clear stale flags, export leftovers. */
    public List<SymbolResult> recover() {
        List<SymbolResult> out = new ArrayList<>();
        for (Symbol s : symbols) {
            try {
                coordinator(s).recover();
                TableExport.Outcome o = exporter(s).exportPrevious();
                out.add(SymbolResult.exported(s, null, "recovery", o));
            } catch (SimulatedCrash crash) {
                throw crash;
            } catch (Exception e) {
                log.error("{}: recovery failed: {}", s, e.toString());
                out.add(SymbolResult.failed(s, "recovery", e.toString()));
            }
        }
        return out;
    }

    /** Only the leftover exports (the retry between hourly cycles). */
    public List<SymbolResult> retryLeftovers() {
        List<SymbolResult> out = new ArrayList<>();
        for (Symbol s : symbols) {
            try {
                if (tables.exists(s.previousTable())) {
                    TableExport.Outcome o = exporter(s).exportPrevious();
                    out.add(SymbolResult.exported(s, null, "retry", o));
                }
            } catch (SimulatedCrash crash) {
                throw crash;
            } catch (Exception e) {
                out.add(SymbolResult.failed(s, "retry", e.toString()));
            }
        }
        return out;
    }

    /** Rotate and export every symbol, closing the period labelled {@code hourLabel}. */
    public List<SymbolResult> run(String hourLabel) throws InterruptedException {
        List<String> blocked = new ArrayList<>();
        for (Symbol s : symbols) {
            try {
                if (tables.exists(s.previousTable()) && !exporter(s).exportPrevious().ok()) {
                    blocked.add(s.value());
                }
            } catch (SimulatedCrash crash) {
                throw crash;
            } catch (Exception e) {
                blocked.add(s.value());
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, symbols.size()), r -> {
            Thread t = new Thread(r, "rotate");
            t.setDaemon(true);
            return t;
        });
        List<Future<RotationCoordinator.Result>> rotations = new ArrayList<>();
        try {
            for (Symbol s : symbols) {
                if (blocked.contains(s.value())) {
                    rotations.add(null);
                    continue;
                }
                String id = ExportNames.freshId(exportDir, s.base(), hourLabel, state(s).load().lastRotationId());
                rotations.add(pool.submit(() -> coordinator(s).rotate(id)));
            }
            List<SymbolResult> out = new ArrayList<>();
            for (int i = 0; i < symbols.size(); i++) {
                Symbol s = symbols.get(i);
                Future<RotationCoordinator.Result> f = rotations.get(i);
                if (f == null) {
                    out.add(new SymbolResult(s.value(), null, RotationCoordinator.Outcome.SKIPPED,
                            "leftover export failed", false, null, 0, null, "leftover " + s.previousTable()
                            + " could not be exported; not rotating"));
                    continue;
                }
                RotationCoordinator.Result r;
                try {
                    r = f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof SimulatedCrash crash) {
                        throw crash;
                    }
                    log.error("{}: rotation failed: {}", s, e.getCause().toString());
                    out.add(SymbolResult.failed(s, null, "rotation failed: " + e.getCause()));
                    continue;
                }
                if (!r.renamed()) {
                    boolean error = r.outcome() == RotationCoordinator.Outcome.ABANDONED;
                    out.add(new SymbolResult(s.value(), r.id(), r.outcome(), r.reason(), false, null, 0, null,
                            error ? r.reason() : null));
                    continue;
                }
                TableExport.Outcome o = exporter(s).exportPrevious();
                out.add(SymbolResult.exported(s, r, null, o));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
