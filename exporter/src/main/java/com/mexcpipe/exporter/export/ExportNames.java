package com.mexcpipe.exporter.export;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rotation ids and file names. The id is the UTC hour being closed ({@code 2026-11-21T14}); a second rotation of the
 * same hour (e.g. after {@code --once}) gets {@code -2}, then {@code -3}, …; the file follows it:
 * {@code btc2026112114.parquet}, {@code btc2026112114-2.parquet}. An existing file is never overwritten.
 */
public final class ExportNames {
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH").withZone(ZoneOffset.UTC);
    private static final Pattern ID = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2})(?:-(\\d+))?");

    private ExportNames() {
    }

    /** The hour label of the period ending at {@code end}, e.g. a boundary 15:00:00 closes hour 14. */
    public static String hourClosedBy(Instant boundary) {
        return HOUR.format(boundary.minusMillis(1));
    }

    /** The hour label containing {@code t} ({@code --once} closes the current, partial hour). */
    public static String hourOf(Instant t) {
        return HOUR.format(t);
    }

    /** {@code btc} + {@code 2026-11-21T14-2} → {@code btc2026112114-2.parquet}. */
    public static String fileFor(String base, String rotationId) {
        Matcher m = ID.matcher(rotationId);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a rotation id: " + rotationId);
        }
        String suffix = m.group(5) == null ? "" : "-" + m.group(5);
        return base + m.group(1) + m.group(2) + m.group(3) + m.group(4) + suffix + ".parquet";
    }

    /** The first id for {@code hourLabel} whose file does not exist yet and that differs from {@code lastId}. */
    public static String freshId(Path exportDir, String base, String hourLabel, String lastId) {
        for (int n = 1; ; n++) {
            String id = n == 1 ? hourLabel : hourLabel + "-" + n;
            Path f = exportDir.resolve(fileFor(base, id));
            if (!id.equals(lastId) && !Files.exists(f) && !Files.exists(f.resolveSibling("." + f.getFileName() + ".tmp"))) {
                return id;
            }
        }
    }

    /** The hidden temp name the file is written under before verification. */
    public static Path tempFor(Path finalFile) {
        return finalFile.resolveSibling("." + finalFile.getFileName() + ".tmp");
    }
}
