package com.mexcpipe.exporter.export;

import com.mexcpipe.common.AtomicFiles;
import com.mexcpipe.common.RowType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code exports/export-log.txt}: one line per verified export, made durable before the source table is dropped. Format (space-separated {@code key=value} after the time):
 *
 * <pre>2026-11-22T15:00:04.512Z symbol=BTC_USDT period=2026-11-22T14:00:00.003Z/2026-11-22T15:00:00.011Z
 * file=btc2026112214.parquet rows=141600 t=3600 d=120000 dp=18000 dl=0 bytes=12345678 sha256=… client=match</pre>
 *
 * ({@code client}: {@code match} = the client's acknowledged counts equal the file's; {@code partial} = the client
 * restarted inside the period, so its counts cover only part of it; {@code unknown} = no client was running at the
 * rotation; {@code mismatch} = the counts differ, see the exporter's log.)
 */
public final class ExportLog {
    public static final String NAME = "export-log.txt";

    public record Entry(Instant exportedAt, String symbol, Instant periodStart, Instant periodEnd, String file,
            Map<RowType, Long> rows, long bytes, String sha256, String client) {
        public long total() {
            return rows.values().stream().mapToLong(Long::longValue).sum();
        }

        public String line() {
            StringBuilder b = new StringBuilder();
            b.append(exportedAt).append(" symbol=").append(symbol).append(" period=").append(periodStart).append('/')
                    .append(periodEnd).append(" file=").append(file).append(" rows=").append(total());
            for (RowType t : RowType.values()) {
                b.append(' ').append(t.label()).append('=').append(rows.getOrDefault(t, 0L));
            }
            b.append(" bytes=").append(bytes).append(" sha256=").append(sha256).append(" client=").append(client);
            return b.toString();
        }

        public static Entry parse(String line) {
            String[] parts = line.trim().split(" ");
            Map<String, String> kv = new LinkedHashMap<>();
            for (int i = 1; i < parts.length; i++) {
                int eq = parts[i].indexOf('=');
                if (eq > 0) {
                    kv.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
                }
            }
            String[] period = kv.getOrDefault("period", "/").split("/", 2);
            Map<RowType, Long> rows = new EnumMap<>(RowType.class);
            for (RowType t : RowType.values()) {
                rows.put(t, Long.parseLong(kv.getOrDefault(t.label(), "0")));
            }
            return new Entry(Instant.parse(parts[0]), kv.get("symbol"), Instant.parse(period[0]),
                    Instant.parse(period[1]), kv.get("file"), rows, Long.parseLong(kv.getOrDefault("bytes", "0")),
                    kv.get("sha256"), kv.getOrDefault("client", "unknown"));
        }
    }

    private final Path file;

    public ExportLog(Path exportDir) {
        this.file = exportDir.resolve(NAME);
    }

    public Path file() {
        return file;
    }

    /**
     * Adds one line durably. The file is rewritten whole (temp name, fsync, rename), so a crash leaves the old or the
     * new log, never a torn line (one line per symbol and hour keeps it small).
     */
    public synchronized void append(Entry e) throws IOException {
        byte[] old = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
        byte[] line = (e.line() + "\n").getBytes(StandardCharsets.UTF_8);
        boolean needsNewline = old.length > 0 && old[old.length - 1] != '\n';
        byte[] all = new byte[old.length + (needsNewline ? 1 : 0) + line.length];
        System.arraycopy(old, 0, all, 0, old.length);
        if (needsNewline) {
            all[old.length] = '\n'; // a hand-edited last line without one
        }
        System.arraycopy(line, 0, all, all.length - line.length, line.length);
        AtomicFiles.write(file, all);
    }

    /** Every parseable line, oldest first; a damaged line is skipped, not fatal. */
    public List<Entry> entries() throws IOException {
        List<Entry> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (l.isBlank()) {
                continue;
            }
            try {
                out.add(Entry.parse(l));
            } catch (RuntimeException ignored) {
                // a torn or hand-edited line; verif reports files without a matching line
            }
        }
        return out;
    }

    public Optional<Entry> forFile(String name) throws IOException {
        Entry found = null;
        for (Entry e : entries()) {
            if (name.equals(e.file())) {
                found = e;
            }
        }
        return Optional.ofNullable(found);
    }
}
