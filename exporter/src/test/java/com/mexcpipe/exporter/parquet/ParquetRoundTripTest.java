package com.mexcpipe.exporter.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import com.mexcpipe.common.Row;
import com.mexcpipe.common.RowType;
import com.mexcpipe.exporter.ExporterVersion;
import com.mexcpipe.exporter.bench.SyntheticRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Round trips read back by DuckDB (independent reader), by {@link ParquetExportReader} and by parquet-avro. */
class ParquetRoundTripTest {
    static final Instant START = Instant.parse("2026-11-21T14:00:00Z");
    static final ExportMetadata META = new ExportMetadata("BTC_USDT", START, START.plusSeconds(3600));

    @TempDir
    Path dir;

    static ExportWriterOptions options(int threads) {
        return ExportWriterOptions.defaults().withThreads(threads).withProducer("mexc-pipe test");
    }

    /** Awkward texts: control characters, quotes, unicode, emoji, empty, NUL, a 100 KB value. */
    static List<Row> awkwardRows() {
        SplittableRandom rnd = new SplittableRandom(7);
        StringBuilder big = new StringBuilder(100_000);
        int[] alphabet = "abcXYZ0123456789 |[],.\"'\\\t\nüß中😀".codePoints().toArray();
        while (big.length() < 100_000) {
            big.appendCodePoint(alphabet[rnd.nextInt(alphabet.length)]);
        }
        String[] texts = {
            "", "\t", "a\tb\nc\r\nd", "\"double\" 'single' \\back\\slash `tick`", "ünïcødé ÄÖÜ ß 中文 日本語 한국어",
            "emoji 😀🚀👍🏽 🇩🇪", "nul\u0000char", big.toString(), "   leading and trailing   ", "NULL", "null",
            "[122125.8,103673],[122125.7,100518]|[122125.9,110108],[122126,113191]", "122115.1|12|1",
            "122122.3|122122.3|122133.7|0.00010000|102648627",
            "{\"channel\":\"rs.error\",\"data\":\"unknown method\",\"ts\":1763733600000}", "\\N", "line\u2028sep",
            "surrogate pair 𝄞 and combining e\u0301"
        };
        RowType[] types = RowType.values();
        List<Row> rows = new ArrayList<>();
        long ts = START.toEpochMilli();
        for (int i = 0; i < texts.length * 2; i++) {
            rows.add(new Row(ts, types[i % types.length], texts[i % texts.length]));
            if (i % 3 != 0) {
                ts += 1 + rnd.nextInt(500); // ties on every third row
            }
        }
        rows.add(new Row(START.toEpochMilli() + 3_599_999, RowType.DEPTH, "last"));
        return rows;
    }

    static WriteSummary write(Path file, List<Row> rows, ExportWriterOptions o) throws Exception {
        try (ParquetExportWriter w = new ParquetExportWriter(file, META, o)) {
            for (Row r : rows) {
                w.write(r.ts(), r.mt(), r.m());
            }
            return w.finish();
        }
    }

    static Map<RowType, Long> count(List<Row> rows) {
        Map<RowType, Long> m = new EnumMap<>(RowType.class);
        for (RowType t : RowType.values()) {
            m.put(t, 0L);
        }
        rows.forEach(r -> m.merge(r.mt(), 1L, Long::sum));
        return m;
    }

    static Map<String, String> expectedKv(List<Row> rows, String producer) {
        Map<String, String> kv = new LinkedHashMap<>();
        kv.put("mexc.symbol", "BTC_USDT");
        kv.put("mexc.period.start", "2026-11-21T14:00:00Z");
        kv.put("mexc.period.end", "2026-11-21T15:00:00Z");
        Map<RowType, Long> c = count(rows);
        kv.put("mexc.rows.t", c.get(RowType.TICKER).toString());
        kv.put("mexc.rows.d", c.get(RowType.DEAL).toString());
        kv.put("mexc.rows.dp", c.get(RowType.DEPTH).toString());
        kv.put("mexc.rows.dl", c.get(RowType.RAW).toString());
        kv.put("mexc.rows.total", Integer.toString(rows.size()));
        if (!rows.isEmpty()) {
            kv.put("mexc.ts.min", ParquetExportWriter.formatTs(rows.get(0).ts()));
            kv.put("mexc.ts.max", ParquetExportWriter.formatTs(rows.get(rows.size() - 1).ts()));
        }
        kv.put("mexc.producer", producer);
        return kv;
    }

    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {1, 2, 3})
    void awkwardRowsRoundTripThroughDuckDbOurReaderAndAvro(int threads) throws Exception {
        List<Row> rows = awkwardRows();
        Path file = dir.resolve("x.parquet");
        // 4 rows per row group: many row groups, and a last one that is not full
        WriteSummary s = write(file, rows, options(threads).withChunkRows(4));

        assertThat(s.rows()).isEqualTo(rows.size());
        assertThat(s.rowsByType()).isEqualTo(count(rows));
        assertThat(s.minTs()).hasValue(rows.get(0).ts());
        assertThat(s.maxTs()).hasValue(rows.get(rows.size() - 1).ts());
        assertThat(s.bytes()).isEqualTo(Files.size(file));
        assertThat(s.rowGroups()).isEqualTo((rows.size() + 3) / 4);

        try (DuckDb db = new DuckDb()) {
            String f = DuckDb.lit(file);
            assertThat(db.types(file)).containsExactly(Map.entry("ts", "TIMESTAMP WITH TIME ZONE"),
                    Map.entry("mt", "VARCHAR"), Map.entry("m", "VARCHAR"));
            // rows, in file order
            List<List<Object>> got = db.rows("SELECT ts, mt, m FROM read_parquet(" + f
                    + ", file_row_number = true) ORDER BY file_row_number");
            assertThat(got).hasSize(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                Row want = rows.get(i);
                List<Object> r = got.get(i);
                assertThat(r.get(0)).isInstanceOf(OffsetDateTime.class);
                assertThat(((OffsetDateTime) r.get(0)).toInstant().toEpochMilli()).as("ts of row %d", i)
                        .isEqualTo(want.ts());
                assertThat(r.get(1)).as("mt of row %d", i).isEqualTo(want.mt().label());
                assertThat(r.get(2)).as("m of row %d", i).isEqualTo(want.m());
            }
            // a plain scan returns the same order
            List<List<Object>> plain = db.rows("SELECT mt, m FROM read_parquet(" + f + ")");
            for (int i = 0; i < rows.size(); i++) {
                assertThat(plain.get(i)).containsExactly(rows.get(i).mt().label(), rows.get(i).m());
            }
            assertThat(db.rows("SELECT DISTINCT compression FROM parquet_metadata(" + f + ")"))
                    .containsExactly(List.of("ZSTD"));
            assertThat(db.value("SELECT count(DISTINCT row_group_id) FROM parquet_metadata(" + f + ")"))
                    .isEqualTo((long) s.rowGroups());
            List<List<Object>> schema = db.rows("SELECT name, type, repetition_type, logical_type "
                    + "FROM parquet_schema(" + f + ") WHERE name IN ('ts', 'mt', 'm') ORDER BY name DESC");
            assertThat(schema).hasSize(3);
            assertThat(schema.get(0).subList(0, 3)).containsExactly("ts", "INT64", "REQUIRED");
            assertThat(String.valueOf(schema.get(0).get(3))).contains("MILLIS").containsPattern(
                    "isAdjustedToUTC=(1|true)");
            assertThat(schema.get(1).subList(0, 3)).containsExactly("mt", "BYTE_ARRAY", "REQUIRED");
            assertThat(schema.get(2).subList(0, 3)).containsExactly("m", "BYTE_ARRAY", "REQUIRED");
            Map<String, String> kv = db.kv(file);
            assertThat(kv).containsAllEntriesOf(expectedKv(rows, "mexc-pipe test"));
            assertThat(kv).containsKey("parquet.avro.schema");
        }

        ExportFileReport rep = ParquetExportReader.read(file);
        assertThat(rep.problems()).isEmpty();
        assertThat(rep.ok()).isTrue();
        assertThat(rep.rows()).isEqualTo(rows.size());
        assertThat(rep.rowsByType()).isEqualTo(count(rows));
        assertThat(rep.nulls()).isZero();
        assertThat(rep.unknownMt()).isZero();
        assertThat(rep.codecs()).containsExactly("ZSTD");
        assertThat(rep.rowGroups()).isEqualTo(s.rowGroups());
        assertThat(rep.minTs()).isEqualTo(s.minTs());
        assertThat(rep.maxTs()).isEqualTo(s.maxTs());
        assertThat(rep.keyValueMetadata()).containsAllEntriesOf(expectedKv(rows, "mexc-pipe test"));
        for (RowType t : RowType.values()) {
            List<Row> ofType = rows.stream().filter(r -> r.mt() == t).toList();
            List<Row> newest = new ArrayList<>(ofType.subList(Math.max(0, ofType.size() - 3), ofType.size()));
            java.util.Collections.reverse(newest);
            assertThat(rep.newestRows().get(t)).as("newest %s", t).isEqualTo(newest);
        }

        // parquet-avro reads it as the Avro record it declares
        List<Row> viaAvro = new ArrayList<>();
        try (ParquetReader<GenericRecord> r = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file),
                new PlainParquetConfiguration()).build()) {
            for (GenericRecord g; (g = r.read()) != null; ) {
                assertThat(g.getSchema()).isEqualTo(ExportSchema.avro());
                viaAvro.add(new Row((Long) g.get("ts"), RowType.ofLabel(g.get("mt").toString()),
                        g.get("m").toString()));
            }
        }
        assertThat(viaAvro).isEqualTo(rows);
    }

    @Test
    void parallelAndSingleThreadedPathsWriteTheSameBytes() throws Exception {
        SyntheticRows data = SyntheticRows.generate(30_000, 3, START);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            rows.add(new Row(data.ts(i), data.mt(i), data.m(i)));
        }
        Path one = dir.resolve("one.parquet");
        Path two = dir.resolve("two.parquet");
        Path three = dir.resolve("three.parquet");
        WriteSummary s1 = write(one, rows, options(1).withChunkRows(2_500));
        WriteSummary s2 = write(two, rows, options(2).withChunkRows(2_500));
        WriteSummary s3 = write(three, rows, options(3).withChunkBytes(1 << 20));
        assertThat(s1.rowGroups()).isEqualTo(12);
        assertThat(Files.readAllBytes(two)).isEqualTo(Files.readAllBytes(one));
        assertThat(s2.rowGroups()).isEqualTo(12);
        assertThat(s3.rowGroups()).isGreaterThan(1);
        assertThat(ParquetExportReader.read(three).rows()).isEqualTo(rows.size());
    }

    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {1, 2})
    void emptyExportIsAValidFileWithNoRowGroups(int threads) throws Exception {
        Path file = dir.resolve("empty.parquet");
        WriteSummary s = write(file, List.of(), options(threads));
        assertThat(s.rows()).isZero();
        assertThat(s.rowGroups()).isZero();
        assertThat(s.minTs()).isEmpty();
        assertThat(s.maxTs()).isEmpty();
        try (DuckDb db = new DuckDb()) {
            assertThat(db.value("SELECT count(*) FROM read_parquet(" + DuckDb.lit(file) + ")")).isEqualTo(0L);
            assertThat(db.types(file)).containsExactly(Map.entry("ts", "TIMESTAMP WITH TIME ZONE"),
                    Map.entry("mt", "VARCHAR"), Map.entry("m", "VARCHAR"));
            Map<String, String> kv = db.kv(file);
            assertThat(kv).containsAllEntriesOf(expectedKv(List.of(), "mexc-pipe test"));
            assertThat(kv).doesNotContainKeys("mexc.ts.min", "mexc.ts.max");
        }
        ExportFileReport rep = ParquetExportReader.read(file);
        assertThat(rep.problems()).isEmpty();
        assertThat(rep.rows()).isZero();
        assertThat(rep.minTs()).isEmpty();
        assertThat(rep.newestRows()).isEmpty();
    }

    @Test
    void manyRowGroupsOfRealisticRowsKeepEveryRowInOrder() throws Exception {
        int n = 200_000;
        SyntheticRows data = SyntheticRows.generate(n, 11, START);
        Path file = dir.resolve("many.parquet");
        WriteSummary s;
        try (ParquetExportWriter w = new ParquetExportWriter(file, META, options(2).withChunkRows(7_000))) {
            for (int i = 0; i < n; i++) {
                w.write(data.ts(i), data.mt(i), data.m(i));
            }
            s = w.finish();
        }
        assertThat(s.rowGroups()).isEqualTo((n + 6_999) / 7_000);
        try (DuckDb db = new DuckDb()) {
            String f = DuckDb.lit(file);
            assertThat(db.value("SELECT count(DISTINCT row_group_id) FROM parquet_metadata(" + f + ")"))
                    .isEqualTo((long) s.rowGroups());
            int[] i = {0};
            db.stream("SELECT ts, mt, m FROM read_parquet(" + f + ", file_row_number = true) "
                    + "ORDER BY file_row_number", rs -> {
                        int k = i[0]++;
                        assertThat(rs.getObject(1, OffsetDateTime.class).toInstant().toEpochMilli())
                                .as("ts %d", k).isEqualTo(data.ts(k));
                        assertThat(rs.getString(2)).as("mt %d", k).isEqualTo(data.mt(k).label());
                        assertThat(rs.getString(3)).as("m %d", k).isEqualTo(data.m(k));
                    });
            assertThat(i[0]).isEqualTo(n);
        }
        ExportFileReport rep = ParquetExportReader.read(file);
        assertThat(rep.ok()).as("%s", rep.problems()).isTrue();
        assertThat(rep.rows()).isEqualTo(n);
        assertThat(rep.keyValueMetadata().get("mexc.producer")).isEqualTo("mexc-pipe test");
    }

    @Test
    void defaultProducerNamesTheVersion() throws Exception {
        Path file = dir.resolve("p.parquet");
        List<Row> rows = List.of(new Row(START.toEpochMilli(), RowType.DEAL, "1|2|1"));
        try (ParquetExportWriter w = new ParquetExportWriter(file, META, ExportWriterOptions.defaults())) {
            w.write(rows.get(0).ts(), rows.get(0).mt(), rows.get(0).m());
            w.finish();
        }
        assertThat(ExporterVersion.version()).isNotEqualTo("unknown");
        assertThat(ParquetExportReader.read(file).keyValueMetadata())
                .containsEntry("mexc.producer", "mexc-pipe " + ExporterVersion.version());
    }
}
