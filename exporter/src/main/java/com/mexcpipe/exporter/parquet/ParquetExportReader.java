package com.mexcpipe.exporter.parquet;

import com.mexcpipe.common.Row;
import com.mexcpipe.common.RowType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeSet;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads an export file back with the Parquet library and checks it (DESIGN §5 step 5, and {@code verif parq}): the
 * schema (names, order, physical and logical types, required), every value of every column (page checksums are
 * verified), rows by {@code mt}, nulls, {@code ts} order and range, the footer's {@code mexc.*} metadata against the
 * data, and the newest rows of each type.
 *
 * <p>Streaming: one row group is in memory at a time (the writer keeps row groups to about 16 MiB of text), plus the
 * newest rows kept per type. A file that cannot be read to the end throws {@link ExportReadException}; a file that
 * reads but is not what the export should have written comes back as a report with {@link ExportFileReport#problems()}.
 */
public final class ParquetExportReader {
    /** How many newest rows per type {@link #read(Path)} keeps. */
    public static final int DEFAULT_NEWEST = 3;

    private static final RowType[] TYPES = RowType.values();
    private static final Binary[] LABELS = new Binary[TYPES.length];

    static {
        for (RowType t : TYPES) {
            LABELS[t.ordinal()] = Binary.fromConstantByteArray(t.label().getBytes(StandardCharsets.UTF_8));
        }
    }

    private ParquetExportReader() {
    }

    /** {@link #read(Path, int)} with the 3 newest rows per type. */
    public static ExportFileReport read(Path file) throws ExportReadException {
        return read(file, DEFAULT_NEWEST);
    }

    /**
     * Reads and checks {@code file}.
     *
     * @param newest how many newest rows per type to return (0 for none)
     * @throws ExportReadException if the file is missing, not Parquet, truncated or corrupt
     */
    public static ExportFileReport read(Path file, int newest) throws ExportReadException {
        Objects.requireNonNull(file, "file");
        if (newest < 0) {
            throw new IllegalArgumentException("newest must be >= 0: " + newest);
        }
        try {
            return new Scan(file, newest).run();
        } catch (ExportReadException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new ExportReadException(file, "no such file", e);
        } catch (IOException e) {
            throw new ExportReadException(file, "cannot read as Parquet: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // a corrupt file can make the decoders fail in many ways (checksum, thrift, zstd, bounds)
            throw new ExportReadException(file, "corrupt: " + e, e);
        }
    }

    /** Receives every row of a file in file order (for tools that need the rows, not only the report). */
    @FunctionalInterface
    public interface RowVisitor {
        void row(long ts, RowType mt, String m);
    }

    /** {@link #read(Path, int)}, also handing every well-formed row to {@code visitor} as it is read. */
    public static ExportFileReport read(Path file, int newest, RowVisitor visitor) throws ExportReadException {
        try {
            Scan s = new Scan(file, newest);
            s.visitor = visitor;
            return s.run();
        } catch (ExportReadException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ExportReadException(file, e.toString(), e);
        }
    }

    /** SHA-256 of the file's bytes, lowercase hex (for the export log). */
    public static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** One read of one file. */
    private static final class Scan {
        private final Path file;
        private final int newestWanted;
        private RowVisitor visitor;
        private final List<String> problems = new ArrayList<>();
        private final long[] counts = new long[TYPES.length];
        private final Map<String, Long> nulls = new LinkedHashMap<>();
        private final List<List<Candidate>> newest = new ArrayList<>();
        private long unknownMt;
        private long rows;
        private long outOfOrder;
        private long minTs = Long.MAX_VALUE;
        private long maxTs = Long.MIN_VALUE;
        private long lastTs = Long.MIN_VALUE;
        private long seq;

        Scan(Path file, int newestWanted) {
            this.file = file;
            this.newestWanted = newestWanted;
            for (int i = 0; i < TYPES.length; i++) {
                newest.add(new ArrayList<>());
            }
            nulls.put(ExportSchema.TS, 0L);
            nulls.put(ExportSchema.MT, 0L);
            nulls.put(ExportSchema.M, 0L);
        }

        ExportFileReport run() throws IOException {
            long bytes = Files.size(file);
            // parquet-mr checks only the magic at the end; a file is Parquet at both ends
            byte[] head = new byte[4];
            try (InputStream in = Files.newInputStream(file)) {
                if (in.readNBytes(head, 0, 4) < 4 || !java.util.Arrays.equals(head, ParquetFileWriter.MAGIC)) {
                    throw new ExportReadException(file, "not a Parquet file: no PAR1 magic at the start");
                }
            }
            ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration())
                    .usePageChecksumVerification(true)
                    .build();
            try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file), options)) {
                FileMetaData meta = reader.getFooter().getFileMetaData();
                MessageType schema = meta.getSchema();
                Map<String, String> kv = new LinkedHashMap<>(meta.getKeyValueMetaData());
                List<BlockMetaData> blocks = reader.getRowGroups();
                TreeSet<String> codecs = new TreeSet<>();
                long footerRows = 0;
                for (BlockMetaData b : blocks) {
                    footerRows += b.getRowCount();
                    for (ColumnChunkMetaData c : b.getColumns()) {
                        codecs.add(c.getCodec().name());
                    }
                }
                boolean readable = checkSchema(schema);
                if (readable) {
                    readData(reader, schema, meta.getCreatedBy(), blocks.size());
                    if (rows != footerRows) {
                        throw new ExportReadException(file,
                                "read " + rows + " rows but the footer's row groups hold " + footerRows);
                    }
                } else {
                    problems.add("data not read: the schema does not have the columns the export writes");
                }
                if (outOfOrder > 0) {
                    problems.add(outOfOrder + " rows are not in ts order");
                }
                if (unknownMt > 0) {
                    problems.add(unknownMt + " rows have an mt that is none of t, d, dp, dl");
                }
                nulls.forEach((col, n) -> {
                    if (n > 0) {
                        problems.add(n + " nulls in column " + col);
                    }
                });
                if (readable) {
                    checkMetadata(kv);
                }
                Map<RowType, Long> byType = new EnumMap<>(RowType.class);
                Map<RowType, List<Row>> newestRows = new EnumMap<>(RowType.class);
                for (RowType t : TYPES) {
                    byType.put(t, counts[t.ordinal()]);
                    List<Candidate> cs = newest.get(t.ordinal());
                    if (!cs.isEmpty()) {
                        List<Row> list = new ArrayList<>();
                        cs.stream().sorted((a, b) -> a.ts != b.ts ? Long.compare(b.ts, a.ts) : Long.compare(b.seq,
                                a.seq)).forEach(c -> list.add(new Row(c.ts, t, new String(c.m,
                                StandardCharsets.UTF_8))));
                        newestRows.put(t, list);
                    }
                }
                return new ExportFileReport(file, bytes, meta.getCreatedBy(), blocks.size(), codecs, rows, byType,
                        unknownMt, nulls, rows == 0 ? OptionalLong.empty() : OptionalLong.of(minTs),
                        rows == 0 ? OptionalLong.empty() : OptionalLong.of(maxTs), kv, newestRows, problems);
            }
        }

        /** Adds schema problems; returns whether the three columns can be read. */
        private boolean checkSchema(MessageType schema) {
            boolean readable = true;
            List<Type> expected = ExportSchema.PARQUET.getFields();
            for (int i = 0; i < expected.size(); i++) {
                PrimitiveType want = expected.get(i).asPrimitiveType();
                String name = want.getName();
                if (!schema.containsField(name)) {
                    problems.add("schema: column " + name + " is missing");
                    readable = false;
                    continue;
                }
                Type got = schema.getType(name);
                if (!got.isPrimitive()) {
                    problems.add("schema: column " + name + " is a group, expected " + want);
                    readable = false;
                    continue;
                }
                PrimitiveType p = got.asPrimitiveType();
                if (p.getPrimitiveTypeName() != want.getPrimitiveTypeName()) {
                    problems.add("schema: column " + name + " is " + p.getPrimitiveTypeName() + ", expected "
                            + want.getPrimitiveTypeName());
                    readable = false;
                }
                if (!Objects.equals(p.getLogicalTypeAnnotation(), want.getLogicalTypeAnnotation())) {
                    problems.add("schema: column " + name + " has logical type " + p.getLogicalTypeAnnotation()
                            + ", expected " + want.getLogicalTypeAnnotation());
                }
                if (p.getRepetition() != Type.Repetition.REQUIRED) {
                    problems.add("schema: column " + name + " is " + p.getRepetition() + ", expected REQUIRED");
                    if (p.getRepetition() == Type.Repetition.REPEATED) {
                        readable = false;
                    }
                }
                if (schema.getFieldIndex(name) != i) {
                    problems.add("schema: column " + name + " is at position " + schema.getFieldIndex(name)
                            + ", expected " + i);
                }
            }
            for (Type t : schema.getFields()) {
                if (!ExportSchema.PARQUET.containsField(t.getName())) {
                    problems.add("schema: unexpected column " + t.getName());
                }
            }
            return readable;
        }

        private void readData(ParquetFileReader reader, MessageType schema, String createdBy, int groups)
                throws IOException {
            ColumnDescriptor tsCol = schema.getColumnDescription(new String[] {ExportSchema.TS});
            ColumnDescriptor mtCol = schema.getColumnDescription(new String[] {ExportSchema.MT});
            ColumnDescriptor mCol = schema.getColumnDescription(new String[] {ExportSchema.M});
            GroupConverter converter = new NoopGroupConverter(schema.getFieldCount());
            for (int g = 0; g < groups; g++) {
                PageReadStore group = reader.readNextRowGroup();
                if (group == null) {
                    throw new ExportReadException(file, "row group " + g + " of " + groups + " is missing");
                }
                long n = group.getRowCount();
                ColumnReadStoreImpl store = new ColumnReadStoreImpl(group, converter, schema, createdBy);
                ColumnReader ts = store.getColumnReader(tsCol);
                ColumnReader mt = store.getColumnReader(mtCol);
                ColumnReader m = store.getColumnReader(mCol);
                for (ColumnDescriptor c : List.of(tsCol, mtCol, mCol)) {
                    long values = group.getPageReader(c).getTotalValueCount();
                    if (values != n) {
                        throw new ExportReadException(file, "row group " + g + ": column " + c.getPath()[0]
                                + " has " + values + " values for " + n + " rows");
                    }
                }
                int tsMax = tsCol.getMaxDefinitionLevel();
                int mtMax = mtCol.getMaxDefinitionLevel();
                int mMax = mCol.getMaxDefinitionLevel();
                for (long i = 0; i < n; i++) {
                    boolean tsNull = ts.getCurrentDefinitionLevel() < tsMax;
                    long t = tsNull ? Long.MIN_VALUE : ts.getLong();
                    ts.consume();
                    int type = -1;
                    if (mt.getCurrentDefinitionLevel() < mtMax) {
                        nulls.merge(ExportSchema.MT, 1L, Long::sum);
                    } else {
                        type = typeOf(mt.getBinary());
                    }
                    mt.consume();
                    Binary text = null;
                    if (m.getCurrentDefinitionLevel() < mMax) {
                        nulls.merge(ExportSchema.M, 1L, Long::sum);
                    } else {
                        text = m.getBinary();
                    }
                    m.consume();
                    row(tsNull, t, type, text);
                    if (visitor != null && !tsNull && type >= 0 && text != null) {
                        visitor.row(t, TYPES[type], text.toStringUsingUTF8());
                    }
                }
            }
        }

        private void row(boolean tsNull, long t, int type, Binary text) {
            rows++;
            seq++;
            if (tsNull) {
                nulls.merge(ExportSchema.TS, 1L, Long::sum);
            } else {
                if (t < lastTs) {
                    outOfOrder++;
                }
                lastTs = t;
                minTs = Math.min(minTs, t);
                maxTs = Math.max(maxTs, t);
            }
            if (type < 0) {
                if (type == -2) {
                    unknownMt++;
                }
                return;
            }
            counts[type]++;
            if (newestWanted > 0 && !tsNull && text != null) {
                keepIfNewest(newest.get(type), t, text);
            }
        }

        /** Keeps the newest rows of one type: larger ts wins, a later row wins a tie. */
        private void keepIfNewest(List<Candidate> kept, long t, Binary text) {
            if (kept.size() < newestWanted) {
                kept.add(new Candidate(t, seq, text.getBytes()));
                return;
            }
            int oldest = 0;
            for (int i = 1; i < kept.size(); i++) {
                Candidate c = kept.get(i);
                Candidate o = kept.get(oldest);
                if (c.ts < o.ts || (c.ts == o.ts && c.seq < o.seq)) {
                    oldest = i;
                }
            }
            if (t >= kept.get(oldest).ts) {
                kept.set(oldest, new Candidate(t, seq, text.getBytes()));
            }
        }

        /** Index of the RowType, or -2 for an unknown label. */
        private static int typeOf(Binary label) {
            for (int i = 0; i < LABELS.length; i++) {
                if (LABELS[i].equals(label)) {
                    return i;
                }
            }
            return -2;
        }

        private void checkMetadata(Map<String, String> kv) {
            expectCount(kv, ExportSchema.KEY_ROWS_TOTAL, rows);
            for (RowType t : TYPES) {
                expectCount(kv, ExportSchema.rowsKey(t), counts[t.ordinal()]);
            }
            if (rows > 0) {
                expectTs(kv, ExportSchema.KEY_TS_MIN, minTs);
                expectTs(kv, ExportSchema.KEY_TS_MAX, maxTs);
            } else {
                for (String k : List.of(ExportSchema.KEY_TS_MIN, ExportSchema.KEY_TS_MAX)) {
                    if (kv.containsKey(k)) {
                        problems.add("metadata: " + k + " = " + kv.get(k) + " but the file has no rows");
                    }
                }
            }
            String symbol = kv.get(ExportSchema.KEY_SYMBOL);
            if (symbol == null || symbol.isBlank()) {
                problems.add("metadata: " + ExportSchema.KEY_SYMBOL + " is missing");
            }
            Instant start = instant(kv, ExportSchema.KEY_PERIOD_START);
            Instant end = instant(kv, ExportSchema.KEY_PERIOD_END);
            if (start != null && end != null && end.isBefore(start)) {
                problems.add("metadata: period end " + end + " is before its start " + start);
            }
            if (!kv.containsKey(ExportSchema.KEY_PRODUCER)) {
                problems.add("metadata: " + ExportSchema.KEY_PRODUCER + " is missing");
            }
        }

        private void expectCount(Map<String, String> kv, String key, long actual) {
            String v = kv.get(key);
            if (v == null) {
                problems.add("metadata: " + key + " is missing");
                return;
            }
            try {
                long declared = Long.parseLong(v.trim());
                if (declared != actual) {
                    problems.add("metadata: " + key + " = " + declared + " but the file has " + actual);
                }
            } catch (NumberFormatException e) {
                problems.add("metadata: " + key + " = '" + v + "' is not a number");
            }
        }

        private void expectTs(Map<String, String> kv, String key, long actual) {
            Instant declared = instant(kv, key);
            if (declared != null && declared.toEpochMilli() != actual) {
                problems.add("metadata: " + key + " = " + kv.get(key) + " but the file has "
                        + ParquetExportWriter.formatTs(actual));
            }
        }

        private Instant instant(Map<String, String> kv, String key) {
            String v = kv.get(key);
            if (v == null) {
                problems.add("metadata: " + key + " is missing");
                return null;
            }
            try {
                return Instant.parse(v);
            } catch (DateTimeParseException e) {
                problems.add("metadata: " + key + " = '" + v + "' is not an ISO-8601 instant");
                return null;
            }
        }
    }

    private record Candidate(long ts, long seq, byte[] m) {
    }

    /** The column readers are read directly; the converters are only there because the API wants them. */
    private static final class NoopGroupConverter extends GroupConverter {
        private final PrimitiveConverter primitive = new PrimitiveConverter() {
        };
        private final int fields;

        NoopGroupConverter(int fields) {
            this.fields = fields;
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            if (fieldIndex < 0 || fieldIndex >= fields) {
                throw new IndexOutOfBoundsException(fieldIndex);
            }
            return primitive;
        }

        @Override
        public void start() {
        }

        @Override
        public void end() {
        }
    }
}
