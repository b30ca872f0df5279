package com.mexcpipe.exporter.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.junit.jupiter.api.Test;

/** The schema constants are what parquet-avro makes of the Avro record (so the file is an Avro-model file). */
class ExportSchemaTest {
    static final Schema AVRO = SchemaBuilder.record("Row").namespace("com.mexcpipe").fields()
            .name("ts").type(LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG))).noDefault()
            .name("mt").type().stringType().noDefault()
            .name("m").type().stringType().noDefault()
            .endRecord();

    @Test
    void avroJsonIsTheRecord() {
        assertThat(ExportSchema.AVRO_JSON).isEqualTo(AVRO.toString());
        assertThat(ExportSchema.avro()).isEqualTo(AVRO);
    }

    @Test
    void parquetSchemaIsParquetAvrosConversion() {
        assertThat(ExportSchema.PARQUET)
                .isEqualTo(new AvroSchemaConverter(new PlainParquetConfiguration()).convert(AVRO));
        PrimitiveType ts = ExportSchema.PARQUET.getType("ts").asPrimitiveType();
        assertThat(ts.getRepetition()).isEqualTo(Type.Repetition.REQUIRED);
        assertThat(ts.getLogicalTypeAnnotation())
                .isEqualTo(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MILLIS));
    }
}
