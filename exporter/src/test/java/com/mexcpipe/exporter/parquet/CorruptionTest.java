package com.mexcpipe.exporter.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mexcpipe.exporter.bench.SyntheticRows;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A damaged export file gives a clear error (or a report that is not ok), never a silently wrong count. */
class CorruptionTest {
    static final int ROWS = 20_000;

    @TempDir
    Path dir;

    Path good;
    byte[] bytes;
    ExportFileReport truth;

    @BeforeEach
    void writeGoodFile() throws Exception {
        good = dir.resolve("good.parquet");
        SyntheticRows data = SyntheticRows.generate(ROWS, 5, ParquetRoundTripTest.START);
        try (ParquetExportWriter w = new ParquetExportWriter(good, ParquetRoundTripTest.META,
                ParquetRoundTripTest.options(2).withChunkRows(4_000))) {
            for (int i = 0; i < data.size(); i++) {
                w.write(data.ts(i), data.mt(i), data.m(i));
            }
            w.finish();
        }
        bytes = Files.readAllBytes(good);
        truth = ParquetExportReader.read(good);
        assertThat(truth.ok()).isTrue();
        assertThat(truth.rows()).isEqualTo(ROWS);
    }

    /** Offsets: 0 (empty file), inside the header magic, inside the data, inside the footer, one byte short. */
    @ParameterizedTest(name = "keep {0} per mille")
    @ValueSource(ints = {0, 1, 100, 500, 900, 990, 998, 999})
    void truncatedFileIsAnError(int perMille) throws Exception {
        int keep = perMille == 999 ? bytes.length - 1 : (int) ((long) bytes.length * perMille / 1000);
        if (perMille == 1) {
            keep = 2;
        }
        Path bad = dir.resolve("truncated.parquet");
        Files.write(bad, Arrays.copyOf(bytes, keep));
        assertThatThrownBy(() -> ParquetExportReader.read(bad)).isInstanceOf(ExportReadException.class)
                .hasMessageContaining(bad.toString());
    }

    /**
     * One flipped byte at each of 200 places across the file: the reader throws {@link ExportReadException} or
     * reports problems, or (when the byte only matters to no check, e.g. a statistics value in the footer) returns
     * exactly the true counts and rows. Flips inside the data pages are caught by the page checksums.
     */
    @Test
    void flippedByteIsAnErrorNeverAWrongCount() throws Exception {
        Map<Flip, Integer> seen = new EnumMap<>(Flip.class);
        int places = 200;
        for (int k = 0; k < places; k++) {
            int pos = (int) ((long) (bytes.length - 1) * k / (places - 1));
            seen.merge(flip(bytes, pos, truth), 1, Integer::sum);
        }
        // the data pages are most of the file, and every flip there is a checksum error
        assertThat(seen.getOrDefault(Flip.ERROR, 0)).as("%s", seen).isGreaterThan(places * 8 / 10);
    }

    /**
     * Every 3rd byte of the footer (file metadata: schema, row groups, column chunks, key-value metadata) of a small
     * file, flipped: an error, a report with problems, or exactly the true content.
     */
    @Test
    void flippedByteInTheFooterIsAnErrorNeverAWrongCount() throws Exception {
        Path small = dir.resolve("small.parquet");
        SyntheticRows data = SyntheticRows.generate(2_000, 9, ParquetRoundTripTest.START);
        try (ParquetExportWriter w = new ParquetExportWriter(small, ParquetRoundTripTest.META,
                ParquetRoundTripTest.options(1).withChunkRows(600))) {
            for (int i = 0; i < data.size(); i++) {
                w.write(data.ts(i), data.mt(i), data.m(i));
            }
            w.finish();
        }
        byte[] b = Files.readAllBytes(small);
        ExportFileReport t = ParquetExportReader.read(small);
        int footerLength = (b[b.length - 8] & 0xff) | (b[b.length - 7] & 0xff) << 8 | (b[b.length - 6] & 0xff) << 16
                | (b[b.length - 5] & 0xff) << 24;
        int footerStart = b.length - 8 - footerLength;
        Map<Flip, Integer> seen = new EnumMap<>(Flip.class);
        for (int pos = footerStart; pos < b.length; pos += 3) {
            seen.merge(flip(b, pos, t), 1, Integer::sum);
        }
        assertThat(seen.getOrDefault(Flip.ERROR, 0) + seen.getOrDefault(Flip.NOT_OK, 0)).as("%s", seen)
                .isGreaterThan(seen.getOrDefault(Flip.HARMLESS, 0));
    }

    private enum Flip { ERROR, NOT_OK, HARMLESS }

    /**
     * Reads a copy of {@code file} with the byte at {@code pos} flipped: an exception naming the file, a report with
     * problems, or (asserted here) exactly the true content.
     */
    private Flip flip(byte[] file, int pos, ExportFileReport truth) throws IOException {
        Path bad = dir.resolve("flipped.parquet");
        byte[] copy = file.clone();
        copy[pos] ^= 0x5A;
        Files.write(bad, copy);
        try {
            ExportFileReport r = ParquetExportReader.read(bad);
            if (!r.ok()) {
                return Flip.NOT_OK;
            }
            assertThat(r.rows()).as("flip at %d", pos).isEqualTo(truth.rows());
            assertThat(r.rowsByType()).as("flip at %d", pos).isEqualTo(truth.rowsByType());
            assertThat(r.minTs()).as("flip at %d", pos).isEqualTo(truth.minTs());
            assertThat(r.maxTs()).as("flip at %d", pos).isEqualTo(truth.maxTs());
            assertThat(r.newestRows()).as("flip at %d", pos).isEqualTo(truth.newestRows());
            return Flip.HARMLESS;
        } catch (ExportReadException e) {
            assertThat(e.getMessage()).startsWith(bad.toString());
            return Flip.ERROR;
        }
    }

    @Test
    void flippedByteInsideADataPageIsAChecksumError() throws Exception {
        byte[] copy = bytes.clone();
        copy[bytes.length / 3] ^= 0x01;
        Path bad = dir.resolve("flipped.parquet");
        Files.write(bad, copy);
        assertThatThrownBy(() -> ParquetExportReader.read(bad)).isInstanceOf(ExportReadException.class)
                .hasMessageContaining("corrupt").hasStackTraceContaining("CRC");
    }

    /** A count in the footer that disagrees with the data (valid Parquet, wrong metadata) is reported. */
    @Test
    void footerCountThatDisagreesWithTheDataIsAProblem() throws Exception {
        Map<String, String> kv = truth.keyValueMetadata();
        String total = kv.get("mexc.rows.total");
        byte[] needle = ("mexc.rows.total").getBytes(StandardCharsets.UTF_8);
        int at = indexOf(bytes, needle);
        assertThat(at).isPositive();
        // the value follows the key (thrift: 4-byte length, then the text); change its first digit
        int value = indexOf(Arrays.copyOfRange(bytes, at, bytes.length), total.getBytes(StandardCharsets.UTF_8));
        byte[] copy = bytes.clone();
        copy[at + value] = (byte) (copy[at + value] == '1' ? '3' : '1');
        Path bad = dir.resolve("meta.parquet");
        Files.write(bad, copy);
        ExportFileReport r = ParquetExportReader.read(bad);
        assertThat(r.ok()).isFalse();
        assertThat(r.rows()).isEqualTo(ROWS);
        assertThat(r.problems()).anyMatch(p -> p.startsWith("metadata: mexc.rows.total = "));
    }

    @Test
    void missingOrNonParquetFileIsAnError() throws Exception {
        Path missing = dir.resolve("missing.parquet");
        assertThatThrownBy(() -> ParquetExportReader.read(missing)).isInstanceOf(ExportReadException.class)
                .hasMessageContaining("no such file");
        Path text = dir.resolve("text.parquet");
        Files.writeString(text, "ts,mt,m\n1,d,x\n".repeat(100));
        assertThatThrownBy(() -> ParquetExportReader.read(text)).isInstanceOf(ExportReadException.class)
                .hasMessageContaining("Parquet");
    }

    @Test
    void sha256OfTheFile() throws Exception {
        Path f = dir.resolve("abc");
        Files.writeString(f, "abc");
        assertThat(ParquetExportReader.sha256(f))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(ParquetExportReader.sha256(good)).hasSize(64).isEqualTo(ParquetExportReader.sha256(good));
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
