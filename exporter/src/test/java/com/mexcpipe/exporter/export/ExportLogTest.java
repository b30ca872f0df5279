package com.mexcpipe.exporter.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.mexcpipe.common.RowType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportLogTest {
    @TempDir
    Path dir;

    static ExportLog.Entry entry(String file, long dp) {
        Map<RowType, Long> rows = new EnumMap<>(RowType.class);
        rows.put(RowType.TICKER, 3L);
        rows.put(RowType.DEAL, 5L);
        rows.put(RowType.DEPTH, dp);
        rows.put(RowType.RAW, 0L);
        return new ExportLog.Entry(Instant.parse("2026-11-22T15:00:04.512Z"), "BTC_USDT",
                Instant.parse("2026-11-22T14:00:00.003Z"), Instant.parse("2026-11-22T15:00:00.011Z"), file, rows, 1234,
                "a".repeat(64), "match");
    }

    @Test
    void linesRoundTripAndAreAddedWithoutTouchingEarlierOnes() throws Exception {
        ExportLog log = new ExportLog(dir);
        log.append(entry("btc2026112214.parquet", 7));
        log.append(entry("btc2026112215.parquet", 9));
        assertThat(Files.readAllLines(log.file())).containsExactly(
                "2026-11-22T15:00:04.512Z symbol=BTC_USDT period=2026-11-22T14:00:00.003Z/2026-11-22T15:00:00.011Z "
                        + "file=btc2026112214.parquet rows=15 t=3 d=5 dp=7 dl=0 bytes=1234 sha256=" + "a".repeat(64)
                        + " client=match",
                entry("btc2026112215.parquet", 9).line());
        assertThat(log.entries()).containsExactly(entry("btc2026112214.parquet", 7), entry("btc2026112215.parquet", 9));
        assertThat(log.forFile("btc2026112215.parquet")).contains(entry("btc2026112215.parquet", 9));
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s).as("no temp file left").containsExactly(log.file());
        }
    }

    @Test
    void aLastLineWithoutNewlineDoesNotSwallowTheNextEntry() throws Exception {
        ExportLog log = new ExportLog(dir);
        Files.writeString(log.file(), entry("btc2026112213.parquet", 1).line()); // hand-edited, no final newline
        log.append(entry("btc2026112214.parquet", 7));
        assertThat(log.entries()).extracting(ExportLog.Entry::file)
                .containsExactly("btc2026112213.parquet", "btc2026112214.parquet");
    }
}
