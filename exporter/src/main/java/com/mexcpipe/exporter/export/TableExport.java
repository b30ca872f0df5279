package com.mexcpipe.exporter.export;

import com.mexcpipe.common.AtomicFiles;
import com.mexcpipe.common.RowType;
import com.mexcpipe.common.Symbol;
import com.mexcpipe.exporter.parquet.ExportFileReport;
import com.mexcpipe.exporter.parquet.ExportMetadata;
import com.mexcpipe.exporter.parquet.ParquetExportReader;
import com.mexcpipe.exporter.parquet.ExportWriterOptions;
import com.mexcpipe.exporter.parquet.ParquetExportWriter;
import com.mexcpipe.exporter.parquet.WriteSummary;
import com.mexcpipe.exporter.rotation.ExporterState;
import com.mexcpipe.exporter.store.TableOps;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports {@code <base>_previous} to {@code exports/<file>}: stream {@code ORDER BY ts} into a hidden temp file,
 * fsync, read it back with the Parquet library, check rows by {@code mt} against ClickHouse (and compare with the
 * client's {@code paused} counts), rename to the final name (never over an existing file), append the export-log
 * line, then DROP the table. Any failure leaves the table in place and no file under the final name.
 */
public final class TableExport {
    private static final Logger log = LoggerFactory.getLogger(TableExport.class);

    /** What happened; {@code entry} is the export-log line when {@code ok}. */
    public record Outcome(boolean ok, String file, String reason, ExportLog.Entry entry) {
    }

    private final Symbol symbol;
    private final TableOps tables;
    private final Path exportDir;
    private final ExportLog exportLog;
    private final ExporterState state;
    private final Clock clock;
    private final ExportWriterOptions options;
    private final com.mexcpipe.exporter.Steps steps;

    public TableExport(Symbol symbol, TableOps tables, Path exportDir, ExporterState state, Clock clock,
            ExportWriterOptions options) {
        this(symbol, tables, exportDir, state, clock, options, com.mexcpipe.exporter.Steps.NONE);
    }

    public TableExport(Symbol symbol, TableOps tables, Path exportDir, ExporterState state, Clock clock,
            ExportWriterOptions options, com.mexcpipe.exporter.Steps steps) {
        this.steps = steps;
        this.symbol = symbol;
        this.tables = tables;
        this.exportDir = exportDir;
        this.exportLog = new ExportLog(exportDir);
        this.state = state;
        this.clock = clock;
        this.options = options;
    }

    /** Exports {@code _previous} if it exists; never throws for an export failure (returns it). */
    public Outcome exportPrevious() {
        String prev = symbol.previousTable();
        Path tmp = null;
        try {
            if (!tables.exists(prev)) {
                return new Outcome(true, null, "nothing to export", null);
            }
            Map<RowType, Long> chCounts = tables.counts(prev);
            ExporterState.Pending pending = state.pending().orElse(null);
            if (pending == null || pending.status() != ExporterState.Status.RENAMED) {
                // an orphan _previous (state lost): name it by the hour it closes now
                String id = ExportNames.freshId(exportDir, symbol.base(), ExportNames.hourOf(clock.instant()),
                        state.load().lastRotationId());
                pending = new ExporterState.Pending(id, ExporterState.Status.RENAMED, null, clock.instant(), null, null,
                        null);
                log.warn("{}: {} has no rotation record; exporting it as {}", symbol, prev, id);
            }
            if (pending.file() == null) {
                pending = pending.withFile(ExportNames.fileFor(symbol.base(), pending.id()));
                if (Files.exists(exportDir.resolve(pending.file()))
                        && exportLog.forFile(pending.file()).isEmpty() == false) {
                    pending = pending.withFile(ExportNames.fileFor(symbol.base(),
                            ExportNames.freshId(exportDir, symbol.base(), pending.id().substring(0, 13), pending.id())));
                }
            }
            state.savePending(pending);
            Path target = exportDir.resolve(pending.file());
            Files.createDirectories(exportDir);

            Optional<ExportLog.Entry> done = finishedEarlier(target, chCounts);
            if (done.isPresent()) {
                tables.drop(prev);
                state.clearPending();
                log.info("{}: {} was already exported to {} before a restart; dropped {}", symbol, prev, target, prev);
                return new Outcome(true, pending.file(), null, done.get());
            }
            if (Files.exists(target)) {
                throw new FileAlreadyExistsException(target + " exists but does not match " + prev);
            }

            Instant periodStart = pending.periodStart();
            Instant periodEnd = pending.renamedAt() == null ? clock.instant() : pending.renamedAt();
            tmp = ExportNames.tempFor(target);
            Files.deleteIfExists(tmp);
            long t0 = System.nanoTime();
            WriteSummary written;
            try (ParquetExportWriter w = new ParquetExportWriter(tmp, new ExportMetadata(symbol.value(),
                    periodStart == null ? periodEnd : periodStart, periodEnd), options)) {
                tables.scanOrdered(prev, w::write);
                written = w.finish();
            }
            steps.reached("export-written");
            ExportFileReport report = ParquetExportReader.read(tmp);
            Map<RowType, Long> fileCounts = new EnumMap<>(report.rowsByType());
            if (!report.ok()) {
                throw new ExportException("read-back of " + tmp + " failed: " + report.problems());
            }
            if (!fileCounts.equals(normalise(chCounts)) || !normalise(written.rowsByType()).equals(normalise(chCounts))) {
                throw new ExportException("row counts differ: ClickHouse " + chCounts + ", written "
                        + written.rowsByType() + ", read back " + fileCounts);
            }
            String client = compareWithClient(pending, fileCounts);
            steps.reached("export-verified");
            Files.move(tmp, target); // no REPLACE_EXISTING: never over an existing file
            AtomicFiles.fsyncDirectory(exportDir);
            tmp = null;
            steps.reached("export-renamed");
            Instant start = periodStart != null ? periodStart
                    : Instant.ofEpochMilli(report.minTs().orElse(periodEnd.toEpochMilli()));
            ExportLog.Entry entry = new ExportLog.Entry(clock.instant(), symbol.value(), start, periodEnd,
                    pending.file(), fileCounts, Files.size(target), ParquetExportReader.sha256(target), client);
            exportLog.append(entry);
            steps.reached("export-logged");
            tables.drop(prev);
            steps.reached("export-dropped");
            state.clearPending();
            log.info("{}: exported {} rows ({}) to {} in {} ms, {} bytes; client counts: {}; dropped {}", symbol,
                    entry.total(), fileCounts, target, (System.nanoTime() - t0) / 1_000_000, entry.bytes(), client,
                    prev);
            return new Outcome(true, pending.file(), null, entry);
        } catch (com.mexcpipe.exporter.SimulatedCrash crash) {
            throw crash;
        } catch (Exception e) {
            log.error("{}: export of {} failed, keeping the table and retrying later: {}", symbol, prev, e.toString(),
                    e instanceof ExportException ? null : e);
            if (tmp != null) {
                try {
                    if (e instanceof ExportException && Files.exists(tmp)) {
                        Path kept = tmp.resolveSibling(tmp.getFileName().toString().replace(".tmp", ".failed"));
                        Files.move(tmp, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        log.error("{}: the unverified file is kept for inspection as {}", symbol, kept);
                    } else {
                        Files.deleteIfExists(tmp);
                    }
                } catch (IOException cleanup) {
                    log.warn("could not remove {}: {}", tmp, cleanup.toString());
                }
            }
            return new Outcome(false, null, e.toString(), null);
        }
    }

    /** A crash after the rename but before DROP: the final file exists; if it matches, finish (log line, drop). */
    private Optional<ExportLog.Entry> finishedEarlier(Path target, Map<RowType, Long> chCounts) throws IOException {
        if (!Files.exists(target)) {
            return Optional.empty();
        }
        ExportFileReport report;
        try {
            report = ParquetExportReader.read(target);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (!report.ok() || !normalise(report.rowsByType()).equals(normalise(chCounts))) {
            return Optional.empty();
        }
        Optional<ExportLog.Entry> logged = exportLog.forFile(target.getFileName().toString());
        if (logged.isPresent()) {
            return logged;
        }
        Instant end = clock.instant();
        ExportLog.Entry entry = new ExportLog.Entry(end, symbol.value(),
                Instant.ofEpochMilli(report.minTs().orElse(end.toEpochMilli())), end,
                target.getFileName().toString(), normalise(report.rowsByType()), Files.size(target),
                ParquetExportReader.sha256(target), "unknown");
        exportLog.append(entry);
        return Optional.of(entry);
    }

    private String compareWithClient(ExporterState.Pending p, Map<RowType, Long> fileCounts) {
        if (p.clientCounts() == null) {
            return "unknown";
        }
        Map<RowType, Long> client = new EnumMap<>(RowType.class);
        for (RowType t : RowType.values()) {
            client.put(t, p.clientCounts().getOrDefault(t.label(), 0L));
        }
        if (client.equals(normalise(fileCounts))) {
            return "match";
        }
        if (!Boolean.TRUE.equals(p.countsComplete())) {
            log.warn("{}: partial client counts (the client restarted inside the period): client {} vs file {}",
                    symbol, client, fileCounts);
            return "partial";
        }
        log.error("{}: COUNT MISMATCH: the client acknowledged {} but the table held {} (an insert retried after a "
                + "lost acknowledgement is stored twice; fewer rows would mean loss)", symbol, client, fileCounts);
        return "mismatch";
    }

    static Map<RowType, Long> normalise(Map<RowType, Long> m) {
        Map<RowType, Long> out = new EnumMap<>(RowType.class);
        for (RowType t : RowType.values()) {
            out.put(t, m.getOrDefault(t, 0L));
        }
        return out;
    }

    /** A verification failure (as opposed to I/O or ClickHouse trouble). */
    static final class ExportException extends Exception {
        private static final long serialVersionUID = 1L;

        ExportException(String message) {
            super(message);
        }
    }
}
