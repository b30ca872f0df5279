package com.mexcpipe.verif;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mexcpipe.common.Json;
import com.mexcpipe.common.RowType;
import com.mexcpipe.common.cli.Cli;
import com.mexcpipe.common.cli.ExitCodes;
import com.mexcpipe.exporter.export.ExportLog;
import com.mexcpipe.exporter.parquet.ExportMetadata;
import com.mexcpipe.exporter.parquet.ParquetExportReader;
import com.mexcpipe.exporter.parquet.ExportWriterOptions;
import com.mexcpipe.exporter.parquet.ParquetExportWriter;
import com.mexcpipe.exporter.parquet.WriteSummary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParqCommandTest {
    @TempDir
    Path dir;
    Path exports;

    /** Writes an export the way the exporter does (same writer, same log line). */
    void export(String symbol, String file, int rows, long start) throws Exception {
        Path f = exports.resolve(file);
        WriteSummary s;
        try (ParquetExportWriter w = new ParquetExportWriter(f, new ExportMetadata(symbol, Instant.ofEpochMilli(start),
                Instant.ofEpochMilli(start + 3_600_000)), ExportWriterOptions.defaults())) {
            for (int i = 0; i < rows; i++) {
                w.write(start + i * 10L, RowType.values()[i % 4], "row " + i + (i % 5 == 0 ? "\ttab" : ""));
            }
            s = w.finish();
        }
        Map<RowType, Long> byType = new EnumMap<>(s.rowsByType());
        new ExportLog(exports).append(new ExportLog.Entry(Instant.now(), symbol, Instant.ofEpochMilli(start),
                Instant.ofEpochMilli(start + 3_600_000), file, byType, Files.size(f), ParquetExportReader.sha256(f),
                "match"));
    }

    record Run(int code, String out) {
    }

    Run verif(String... args) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int code = Cli.execute(new ParqCommand(new PrintStream(b, true, "UTF-8")), args);
        return new Run(code, b.toString(StandardCharsets.UTF_8));
    }

    @BeforeEach
    void setUp() throws Exception {
        exports = Files.createDirectories(dir.resolve("exports"));
        long h14 = Instant.parse("2026-11-22T14:00:00Z").toEpochMilli();
        export("BTC_USDT", "btc2026112213.parquet", 50, h14 - 3_600_000);
        export("BTC_USDT", "btc2026112214.parquet", 400, h14);
        export("BTC_USDT", "btc2026112214-2.parquet", 120, h14 + 1_800_000);
        export("ETH_USDT", "eth2026112214.parquet", 300, h14);
    }

    @Test
    void goodFilesPassAndTheNewestPerSymbolIsChecked() throws Exception {
        Run r = verif("--dir", exports.toString(), "--symbols", "BTC_USDT,ETH_USDT");
        assertThat(r.code()).as(r.out()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("btc2026112214-2.parquet", "eth2026112214.parquet", "all checks passed",
                "BTC_USDT newest t ", "rows by type equal, SHA-256 equal");
        assertThat(r.out()).doesNotContain("btc2026112214.parquet ");
        JsonNode j = Json.MAPPER.readTree(verif("--dir", exports.toString(), "--symbols", "BTC_USDT", "--json").out());
        assertThat(j.get("ok").asBoolean()).isTrue();
        assertThat(j.get("rows").get(0).get("rows").asLong()).isEqualTo(120);
        assertThat(j.get("rows").get(0).get("dl").asLong()).isEqualTo(30);
        assertThat(j.get("notes").size()).as("3 newest rows per mt").isEqualTo(12);
    }

    @Test
    void aCorruptedFileFails() throws Exception {
        Path f = exports.resolve("eth2026112214.parquet");
        byte[] b = Files.readAllBytes(f);
        for (int i = 100; i < 140; i++) {
            b[i] ^= 0x5a;
        }
        Files.write(f, b);
        Run r = verif("--dir", exports.toString(), "--symbols", "ETH_USDT");
        assertThat(r.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains("FAIL").contains("eth2026112214.parquet");
    }

    @Test
    void aLogLineThatDisagreesFails() throws Exception {
        Path log = exports.resolve(ExportLog.NAME);
        List<String> lines = Files.readAllLines(log);
        List<String> edited = lines.stream().map(l -> l.contains("eth2026112214") ? l.replaceAll(" dp=\\d+", " dp=1")
                .replaceAll("sha256=[0-9a-f]+", "sha256=" + "0".repeat(64)) : l).toList();
        Files.write(log, edited);
        Run r = verif("--dir", exports.toString(), "--symbols", "ETH_USDT");
        assertThat(r.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains("rows differ: log", "SHA-256 differs");
    }

    @Test
    void aFileWithoutALogLineOrASymbolWithoutAFileFails() throws Exception {
        Files.write(exports.resolve(ExportLog.NAME), List.of());
        Run r = verif("--dir", exports.toString(), "--symbols", "ETH_USDT,SOL_USDT");
        assertThat(r.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains("no line for it", "SOL_USDT has an export: none in",
                "docker exec exporter java -jar exporter.jar --once");
    }
}
