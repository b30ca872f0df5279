package com.mexcpipe.testkit.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.mexcpipe.common.Env;
import com.mexcpipe.common.RowType;
import com.mexcpipe.common.clickhouse.ClickHouseSettings;
import com.mexcpipe.common.clickhouse.Schema;
import com.mexcpipe.common.cli.Cli;
import com.mexcpipe.common.cli.ExitCodes;
import com.mexcpipe.exporter.ExporterMain;
import com.mexcpipe.exporter.export.ExportLog;
import com.mexcpipe.exporter.parquet.ExportFileReport;
import com.mexcpipe.exporter.parquet.ParquetExportReader;
import com.mexcpipe.testkit.rotation.ExportedRows;
import com.mexcpipe.testkit.soak.RotationSoak;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Rotation RENAME/CREATE and export SELECT … ORDER BY on the real ClickHouse engine. */
@ExtendWith(ClickHouseExtension.class)
@Timeout(180)
class ClickHouseRotationTest {
    @TempDir
    Path dir;

    @Test
    void rotationsAndExportsUnderLoadLoseAndRepeatNothing(ClickHouseBackend ch) throws Exception {
        String db = ch.createDatabase("soak");
        RotationSoak.Result r = new RotationSoak().rotations(6).rate(2000).interval(Duration.ofMillis(700))
                .clickHouse(ChSupport.settings(ch, db)).run(dir);
        System.out.println("[clickhouse soak] " + r.json());
        assertThat(r.rotated()).isGreaterThanOrEqualTo(5);
        assertThat(r.lost()).isZero();
        assertThat(r.duplicated()).isZero();
        ch.dropDatabase(db);
    }

    @Test
    void exporterOnceRotatesAndExportsALoadedTableEndToEnd(ClickHouseBackend ch) throws Exception {
        String db = ch.createDatabase("once");
        ClickHouseSettings s = ChSupport.settings(ch, db);
        try (Connection c = s.connect(); Statement st = c.createStatement()) {
            st.execute(Schema.createTable(s, "eth_current"));
            st.execute("INSERT INTO " + s.table("eth_current") + " SELECT toDateTime64('2026-11-22 14:00:00', 3, 'UTC')"
                    + " + toIntervalMillisecond(number * 37), ['t','d','dp','dl'][number % 4 + 1], "
                    + "concat('row ', toString(number), if(number % 97 = 0, '\\ttab\\nnewline ü 😀', ''))"
                    + " FROM numbers(200000)");
        }
        Map<String, String> env = Map.of("SYMBOLS", "ETH_USDT", "CLICKHOUSE_URL", ch.httpUrl(), "CLICKHOUSE_USER",
                ch.user(), "CLICKHOUSE_PASSWORD", ch.password(), "CLICKHOUSE_DATABASE", db, "CONTROL_DIR",
                dir.resolve("control").toString(), "EXPORT_DIR", dir.resolve("exports").toString(),
                "ROTATE_PAUSE_ACK_S", "2", "CLIENT_STALE_S", "5");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Cli.execute(new ExporterMain(new Env(env), new PrintStream(out, true, "UTF-8")), "--once");
        String printed = out.toString("UTF-8");
        assertThat(code).as(printed).isEqualTo(ExitCodes.OK);
        assertThat(printed).contains("ETH_USDT", "rotated_without_client", "200000");
        List<Path> files;
        try (Stream<Path> st = Files.list(dir.resolve("exports"))) {
            files = st.filter(p -> p.toString().endsWith(".parquet")).toList();
        }
        assertThat(files).singleElement().satisfies(f -> assertThat(f.getFileName().toString()).matches("eth\\d{10}\\.parquet"));
        ExportFileReport rep = ParquetExportReader.read(files.get(0));
        assertThat(rep.ok()).as(rep.problems().toString()).isTrue();
        assertThat(rep.rowsByType()).containsEntry(RowType.TICKER, 50000L).containsEntry(RowType.RAW, 50000L);
        assertThat(rep.minTs().getAsLong()).isEqualTo(java.time.Instant.parse("2026-11-22T14:00:00Z").toEpochMilli());
        assertThat(ExportedRows.read(dir.resolve("exports"))).hasSize(200000)
                .anyMatch(row -> row.m().equals("row 97\ttab\nnewline ü 😀"));
        ExportLog.Entry e = new ExportLog(dir.resolve("exports")).entries().get(0);
        assertThat(e.total()).isEqualTo(200000);
        assertThat(e.sha256()).isEqualTo(ParquetExportReader.sha256(files.get(0)));
        try (Connection c = s.connect()) {
            assertThat(com.mexcpipe.common.clickhouse.TableCheck.columns(c, db, "eth_previous")).as("dropped").isEmpty();
            assertThat(com.mexcpipe.common.clickhouse.TableCheck.columns(c, db, "eth_current")).as("fresh").hasSize(3);
        }
        assertThat(ChSupport.count(s, "eth_current")).isZero();
        ch.dropDatabase(db);
    }
}
