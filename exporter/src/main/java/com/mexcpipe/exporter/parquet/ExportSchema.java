package com.mexcpipe.exporter.parquet;

import com.mexcpipe.common.RowType;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * The schema and footer keys of an hourly export file (DESIGN §5).
 *
 * <p>The record is the Avro schema {@link #AVRO_JSON} ({@code ts} {@code timestamp-millis}, {@code mt} and {@code m}
 * strings, all required); {@link #PARQUET} is exactly what parquet-avro converts it to (a test checks this), i.e.
 * what {@code AvroParquetWriter} would declare: {@code ts INT64 TIMESTAMP(MILLIS, isAdjustedToUTC=true)},
 * {@code mt}/{@code m} {@code BINARY STRING}, all {@code REQUIRED}. The Avro schema is stored in the footer under
 * {@link #AVRO_SCHEMA_KEY}, so Avro readers get it back unchanged. Both are constants so that writing a file does not
 * load Avro (and its Jackson) at all: that alone took half a second of a cold start.
 */
public final class ExportSchema {
    public static final String TS = "ts";
    public static final String MT = "mt";
    public static final String M = "m";

    /** The Avro record (what {@code Schema.toString()} prints), stored under {@link #AVRO_SCHEMA_KEY}. */
    public static final String AVRO_JSON = "{\"type\":\"record\",\"name\":\"Row\",\"namespace\":\"com.mexcpipe\","
            + "\"fields\":[{\"name\":\"ts\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
            + "{\"name\":\"mt\",\"type\":\"string\"},{\"name\":\"m\",\"type\":\"string\"}]}";

    /** The Parquet schema: parquet-avro's conversion of {@link #AVRO_JSON}. */
    public static final MessageType PARQUET = Types.buildMessage()
            .required(PrimitiveTypeName.INT64)
            .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MILLIS)).named(TS)
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(MT)
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(M)
            .named("com.mexcpipe.Row");

    /** Footer key parquet-avro reads the Avro schema from. */
    public static final String AVRO_SCHEMA_KEY = "parquet.avro.schema";

    public static final String KEY_SYMBOL = "mexc.symbol";
    public static final String KEY_PERIOD_START = "mexc.period.start";
    public static final String KEY_PERIOD_END = "mexc.period.end";
    public static final String KEY_ROWS_PREFIX = "mexc.rows.";
    public static final String KEY_ROWS_TOTAL = "mexc.rows.total";
    /** Absent when the file has no rows. */
    public static final String KEY_TS_MIN = "mexc.ts.min";
    /** Absent when the file has no rows. */
    public static final String KEY_TS_MAX = "mexc.ts.max";
    public static final String KEY_PRODUCER = "mexc.producer";

    /** Every {@code mexc.*} key a file with rows carries. */
    public static final List<String> MEXC_KEYS = List.of(KEY_SYMBOL, KEY_PERIOD_START, KEY_PERIOD_END,
            rowsKey(RowType.TICKER), rowsKey(RowType.DEAL), rowsKey(RowType.DEPTH), rowsKey(RowType.RAW),
            KEY_ROWS_TOTAL, KEY_TS_MIN, KEY_TS_MAX, KEY_PRODUCER);

    private ExportSchema() {
    }

    /** {@link #AVRO_JSON} parsed (loads Avro). */
    public static Schema avro() {
        return new Schema.Parser().parse(AVRO_JSON);
    }

    /** {@code mexc.rows.t}, {@code mexc.rows.d}, {@code mexc.rows.dp} or {@code mexc.rows.dl}. */
    public static String rowsKey(RowType type) {
        return KEY_ROWS_PREFIX + type.label();
    }
}
