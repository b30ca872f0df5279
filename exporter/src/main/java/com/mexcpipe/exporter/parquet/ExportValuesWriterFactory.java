package com.mexcpipe.exporter.parquet;

import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.delta.DeltaBinaryPackingValuesWriterForLong;
import org.apache.parquet.column.values.factory.DefaultValuesWriterFactory;
import org.apache.parquet.column.values.factory.ValuesWriterFactory;

/**
 * parquet-mr's default (v1) encodings, except:
 * <ul>
 *   <li>{@code ts} (when asked): DELTA_BINARY_PACKED, which stores increasing timestamps in a few bits each (3.5%
 *       smaller files than PLAIN + ZSTD here). parquet-mr only picks it with the v2 writer, which would also turn
 *       {@code m} into DELTA_BYTE_ARRAY (slow to write, no gain after ZSTD) and write v2 data pages (less widely
 *       read); this keeps v1 data pages.</li>
 *   <li>{@code m} without dictionary: PLAIN, written by {@link PlainBinaryValuesWriter} (same bytes as parquet-mr's,
 *       one contiguous buffer the compressor reads in place).</li>
 * </ul>
 */
final class ExportValuesWriterFactory implements ValuesWriterFactory {
    private final DefaultValuesWriterFactory defaults = new DefaultValuesWriterFactory();
    private final boolean deltaTs;
    private ParquetProperties props;

    ExportValuesWriterFactory(boolean deltaTs) {
        this.deltaTs = deltaTs;
    }

    @Override
    public void initialize(ParquetProperties properties) {
        this.props = properties;
        defaults.initialize(properties);
    }

    @Override
    public ValuesWriter newValuesWriter(ColumnDescriptor descriptor) {
        if (deltaTs && descriptor.getPath().length == 1 && ExportSchema.TS.equals(descriptor.getPath()[0])) {
            return new DeltaBinaryPackingValuesWriterForLong(props.getInitialSlabSize(), props.getPageSizeThreshold(),
                    props.getAllocator());
        }
        if (descriptor.getPath().length == 1 && ExportSchema.M.equals(descriptor.getPath()[0])
                && !props.isDictionaryEnabled(descriptor)) {
            return new PlainBinaryValuesWriter(props.getPageSizeThreshold() + (props.getPageSizeThreshold() >> 2));
        }
        return defaults.newValuesWriter(descriptor);
    }
}
