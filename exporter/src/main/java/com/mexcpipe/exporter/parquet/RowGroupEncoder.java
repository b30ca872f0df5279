package com.mexcpipe.exporter.parquet;

import com.mexcpipe.common.RowType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;

/**
 * Encodes and compresses one row group in memory, then appends it to a {@link ParquetFileWriter}.
 *
 * <p>This is what parquet-mr's {@code InternalParquetRecordWriter} does for one row group, minus the record
 * abstraction: values go straight into the three column writers (all columns are required, so repetition and
 * definition levels are always 0). Pages are compressed as they fill, so after {@link #finish()} the encoder holds only
 * compressed pages. Encoding may run on any one thread; {@link #appendTo} must run on the thread that owns the file
 * writer, in row-group order. Not thread-safe.
 */
final class RowGroupEncoder implements AutoCloseable {
    private static final Binary[] MT = new Binary[RowType.values().length];

    static {
        for (RowType t : RowType.values()) {
            MT[t.ordinal()] = Binary.fromConstantByteArray(t.label().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Everything the encoders of one file share (immutable, safe to share between threads). */
    record Config(MessageType schema, ParquetProperties properties, int zstdLevel) {
        ColumnDescriptor column(String name) {
            return schema.getColumnDescription(new String[] {name});
        }
    }

    private final ColumnChunkPageWriteStore pages;
    private final ColumnWriteStore columns;
    private final ColumnWriter ts;
    private final ColumnWriter mt;
    private final ColumnWriter m;
    private long rows;
    private boolean finished;

    RowGroupEncoder(Config config, BytesInputCompressor compressor) {
        ParquetProperties props = config.properties();
        pages = ColumnChunkPageWriteStore.builder()
                .withCompressorProvider(column -> compressor)
                .withSchema(config.schema())
                .withAllocator(new HeapByteBufferAllocator())
                .withColumnIndexTruncateLength(props.getColumnIndexTruncateLength())
                .withPageWriteChecksumEnabled(props.getPageWriteChecksumEnabled())
                .build();
        columns = props.newColumnWriteStore(config.schema(), pages, pages);
        ts = columns.getColumnWriter(config.column(ExportSchema.TS));
        mt = columns.getColumnWriter(config.column(ExportSchema.MT));
        m = columns.getColumnWriter(config.column(ExportSchema.M));
    }

    void add(long tsMillis, RowType type, String text) {
        ts.write(tsMillis, 0, 0);
        mt.write(MT[type.ordinal()], 0, 0);
        m.write(Binary.fromConstantByteArray(text.getBytes(StandardCharsets.UTF_8)), 0, 0);
        columns.endRecord();
        rows++;
    }

    long rows() {
        return rows;
    }

    /** Writes the last pages (and the {@code mt} dictionary); afterwards only {@link #appendTo} and close. */
    RowGroupEncoder finish() {
        if (!finished) {
            columns.flush();
            finished = true;
        }
        return this;
    }

    /** Appends this row group (already compressed) to {@code writer}: a byte copy, nothing is re-encoded. */
    void appendTo(ParquetFileWriter writer) throws IOException {
        if (!finished) {
            throw new IllegalStateException("row group not finished");
        }
        writer.startBlock(rows);
        pages.flushToFileWriter(writer);
        writer.endBlock();
    }

    @Override
    public void close() {
        columns.close();
        pages.close();
    }
}
