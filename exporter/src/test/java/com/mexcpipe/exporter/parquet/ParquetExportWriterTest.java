package com.mexcpipe.exporter.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mexcpipe.common.RowType;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The writer's contract apart from the file contents (see {@link ParquetRoundTripTest}). */
class ParquetExportWriterTest {
    static final ExportMetadata META = ParquetRoundTripTest.META;
    static final long T0 = ParquetRoundTripTest.START.toEpochMilli();

    @TempDir
    Path dir;

    @Test
    void refusesAnExistingFileUnlessOverwriteIsAsked() throws Exception {
        Path file = dir.resolve("x.parquet");
        Files.writeString(file, "old");
        assertThatThrownBy(() -> new ParquetExportWriter(file, META, ParquetRoundTripTest.options(2)))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(file)).isEqualTo("old");
        try (ParquetExportWriter w = new ParquetExportWriter(file, META,
                ParquetRoundTripTest.options(2).withOverwrite(true))) {
            w.write(T0, RowType.DEAL, "1|1|1");
            w.finish();
        }
        assertThat(ParquetExportReader.read(file).rows()).isEqualTo(1);
    }

    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {1, 2})
    void closeWithoutFinishDeletesThePartialFile(int threads) throws Exception {
        Path file = dir.resolve("x.parquet");
        try (ParquetExportWriter w = new ParquetExportWriter(file, META,
                ParquetRoundTripTest.options(threads).withChunkRows(10))) {
            for (int i = 0; i < 1_000; i++) {
                w.write(T0 + i, RowType.DEPTH, "[1,2]|[3,4]");
            }
            assertThat(file).exists();
        }
        assertThat(file).doesNotExist();
    }

    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {1, 2})
    void refusesRowsOutOfTsOrderAndKeepsTheOthers(int threads) throws Exception {
        Path file = dir.resolve("x.parquet");
        try (ParquetExportWriter w = new ParquetExportWriter(file, META, ParquetRoundTripTest.options(threads))) {
            w.write(T0 + 10, RowType.DEAL, "a");
            w.write(T0 + 10, RowType.DEAL, "b"); // a tie is in order
            assertThatThrownBy(() -> w.write(T0 + 9, RowType.DEAL, "c"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ts order");
            w.write(T0 + 11, RowType.TICKER, "d");
            WriteSummary s = w.finish();
            assertThat(s.rows()).isEqualTo(3);
        }
        ExportFileReport rep = ParquetExportReader.read(file);
        assertThat(rep.ok()).isTrue();
        assertThat(rep.rows()).isEqualTo(3);
    }

    @Test
    void noWritesAfterFinishAndNullsAreRefused() throws Exception {
        Path file = dir.resolve("x.parquet");
        try (ParquetExportWriter w = new ParquetExportWriter(file, META, ParquetRoundTripTest.options(2))) {
            assertThatThrownBy(() -> w.write(T0, null, "x")).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> w.write(T0, RowType.DEAL, null)).isInstanceOf(NullPointerException.class);
            w.write(T0, RowType.DEAL, "x");
            w.finish();
            assertThatThrownBy(() -> w.write(T0, RowType.DEAL, "y")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(w::finish).isInstanceOf(IllegalStateException.class);
        }
        assertThat(file).exists(); // close() after finish() keeps the file
        assertThat(ParquetExportReader.read(file).rows()).isEqualTo(1);
    }

    @Test
    void metadataAndOptionsAreValidated() {
        Instant s = Instant.parse("2026-11-21T14:00:00Z");
        assertThatThrownBy(() -> new ExportMetadata(" ", s, s)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ExportMetadata("BTC_USDT", s, s.minusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        ExportWriterOptions o = ExportWriterOptions.defaults();
        assertThatThrownBy(() -> o.withThreads(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> o.withChunkRows(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> o.withChunkBytes(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(o.threads()).isBetween(1, 8);
    }

    /**
     * The parallel path never has more than threads + 1 chunks at once (one filling, the others being encoded or
     * waiting to be appended), however many chunks the file has.
     */
    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {2, 3, 4})
    void chunksInFlightAreBoundedByThreadsPlusOne(int threads) throws Exception {
        Path file = dir.resolve("x.parquet");
        try (ParquetExportWriter w = new ParquetExportWriter(file, META,
                ParquetRoundTripTest.options(threads).withChunkRows(500))) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 100_000; i++) { // 200 chunks
                sb.setLength(0);
                sb.append('[').append(i).append(",1]|[").append(i + 1).append(",2]");
                w.write(T0 + i / 10, RowType.DEPTH, sb.toString());
            }
            WriteSummary s = w.finish();
            assertThat(s.rowGroups()).isEqualTo(200);
            assertThat(w.peakChunksInFlight()).isBetween(2, threads + 1);
        }
        assertThat(ParquetExportReader.read(file).rows()).isEqualTo(100_000);
    }
}
