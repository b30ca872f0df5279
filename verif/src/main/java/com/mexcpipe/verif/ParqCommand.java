package com.mexcpipe.verif;

import com.mexcpipe.common.Row;
import com.mexcpipe.common.RowType;
import com.mexcpipe.common.Symbol;
import com.mexcpipe.common.Symbols;
import com.mexcpipe.common.cli.Command;
import com.mexcpipe.exporter.export.ExportLog;
import com.mexcpipe.exporter.parquet.ExportFileReport;
import com.mexcpipe.exporter.parquet.ExportReadException;
import com.mexcpipe.exporter.parquet.ParquetExportReader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * {@code verif parq}: the newest export per symbol: schema, rows by mt, nulls, time range, the 3 newest rows per
 * mt, and agreement with its {@code export-log.txt} line (rows by type, bytes, SHA-256).
 */
@CommandLine.Command(name = "parq", mixinStandardHelpOptions = true,
        description = {"Check the newest Parquet export of each symbol against its export-log line.",
            "Exit 0 = passed, 1 = a check failed (or no export yet)."})
public final class ParqCommand extends Command {
    private static final Pattern NAME = Pattern.compile("([a-z0-9]+)(\\d{10})(?:-(\\d+))?\\.parquet");

    @CommandLine.Option(names = "--dir", defaultValue = "exports", description = "export folder (default ./exports)")
    Path dir;

    @CommandLine.Option(names = "--symbols", description = "default: SYMBOLS from .env, else BTC_USDT,ETH_USDT,SOL_USDT")
    String symbols;

    @CommandLine.Option(names = "--env-file", defaultValue = ".env")
    Path envFile;

    @CommandLine.Option(names = "--json")
    boolean json;

    private final PrintStream out;

    public ParqCommand() {
        this(System.out);
    }

    ParqCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    protected int run() throws Exception {
        List<Symbol> syms = Symbols.parseList(symbols != null ? symbols
                : DotEnv.load(envFile).get("SYMBOLS", "BTC_USDT,ETH_USDT,SOL_USDT"));
        Report r = new Report("parq", "symbol", "file", "rows", "t", "d", "dp", "dl", "from (UTC)", "to (UTC)",
                "bytes", "log");
        if (!Files.isDirectory(dir)) {
            r.check("export folder " + dir + " exists", false, "run from the repo root, or pass --dir");
            r.print(out, json);
            return r.exitCode();
        }
        ExportLog log = new ExportLog(dir);
        for (Symbol s : syms) {
            Optional<Path> newest = newest(s.base());
            Map<String, Object> row = r.row();
            row.put("symbol", s.value());
            if (newest.isEmpty()) {
                r.check(s + " has an export", false, "none in " + dir + " yet (the first is written after the next "
                        + "full hour; or run: docker exec exporter java -jar exporter.jar --once)");
                continue;
            }
            Path f = newest.get();
            String name = f.getFileName().toString();
            row.put("file", name);
            ExportFileReport rep;
            try {
                rep = ParquetExportReader.read(f, 3);
            } catch (ExportReadException e) {
                r.check(name + " is readable Parquet", false, e.getMessage());
                continue;
            }
            row.put("rows", rep.rows());
            for (RowType t : RowType.values()) {
                row.put(t.label(), rep.rowsByType().get(t));
            }
            row.put("from (UTC)", rep.minTs().isPresent() ? Instant.ofEpochMilli(rep.minTs().getAsLong()).toString() : null);
            row.put("to (UTC)", rep.maxTs().isPresent() ? Instant.ofEpochMilli(rep.maxTs().getAsLong()).toString() : null);
            row.put("bytes", rep.bytes());
            r.check(name + ": schema, nulls, order and footer metadata", rep.ok(), rep.ok()
                    ? "ts timestamp-millis UTC, mt and m strings, 0 nulls, " + rep.codecs() : String.join("; ", rep.problems()));
            Optional<ExportLog.Entry> entry = log.forFile(name);
            row.put("log", entry.isPresent() ? "yes" : "MISSING");
            if (entry.isEmpty()) {
                r.check(name + " matches its export-log line", false, "no line for it in " + log.file());
            } else {
                ExportLog.Entry e = entry.get();
                boolean rows = e.rows().equals(rep.rowsByType());
                String sha = ParquetExportReader.sha256(f);
                boolean hash = sha.equals(e.sha256());
                boolean bytes = e.bytes() == rep.bytes();
                r.check(name + " matches its export-log line", rows && hash && bytes,
                        (rows ? "rows by type equal" : "rows differ: log " + e.rows() + ", file " + rep.rowsByType())
                        + (hash ? ", SHA-256 equal" : ", SHA-256 differs: log " + e.sha256() + ", file " + sha)
                        + (bytes ? "" : ", size differs: log " + e.bytes() + ", file " + rep.bytes())
                        + ", client counts: " + e.client());
            }
            for (Map.Entry<RowType, List<Row>> n : rep.newestRows().entrySet()) {
                for (Row x : n.getValue()) {
                    String m = x.m().length() > 100 ? x.m().substring(0, 100) + "…" : x.m();
                    r.note(String.format("%s newest %-2s %s %s", s, n.getKey().label(), Instant.ofEpochMilli(x.ts()),
                            m.replace("\n", "\\n").replace("\t", "\\t")));
                }
            }
        }
        r.print(out, json);
        return r.exitCode();
    }

    /** The newest export of a base: the latest hour, then the highest same-hour suffix. */
    Optional<Path> newest(String base) throws java.io.IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                Matcher m = NAME.matcher(p.getFileName().toString());
                return m.matches() && m.group(1).equals(base);
            }).max(Comparator.comparing((Path p) -> key(p.getFileName().toString())));
        }
    }

    private static String key(String name) {
        Matcher m = NAME.matcher(name);
        m.matches();
        return m.group(2) + String.format("%06d", m.group(3) == null ? 1 : Integer.parseInt(m.group(3)));
    }
}
