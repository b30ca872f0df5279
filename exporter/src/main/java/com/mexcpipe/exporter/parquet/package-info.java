/**
 * The hourly export file (DESIGN §5): writing it, reading it back, checking it.
 *
 * <h2>File</h2>
 * One Parquet file per symbol and hour. Schema ({@link com.mexcpipe.exporter.parquet.ExportSchema}): {@code ts INT64
 * TIMESTAMP(MILLIS, isAdjustedToUTC=true)}, {@code mt} and {@code m} {@code BINARY STRING}, all {@code REQUIRED}, as
 * parquet-avro declares the Avro record {@code ts: timestamp-millis, mt: string, m: string} (whose JSON is in the
 * footer as {@code parquet.avro.schema}). Rows in {@code ts} order. Data pages v1, ZSTD (level 1), page CRCs;
 * {@code mt} dictionary-encoded, {@code ts} DELTA_BINARY_PACKED, {@code m} PLAIN; row groups of at most 122,880 rows
 * and about 16 MiB of text. Footer key-value metadata: {@code mexc.symbol}, {@code mexc.period.start},
 * {@code mexc.period.end} (ISO-8601 UTC), {@code mexc.rows.t|d|dp|dl|total}, {@code mexc.ts.min},
 * {@code mexc.ts.max} (ISO-8601 UTC with milliseconds; absent when there are no rows) and {@code mexc.producer}.
 *
 * <h2>Empty export</h2>
 * Zero rows give a valid file: schema, no row groups, counts of 0, no {@code mexc.ts.*}. DuckDB reads it as an empty
 * table; the reader reports it as ok. Whether an empty hour should be exported at all is the exporter's decision.
 *
 * <h2>Writing</h2>
 * {@link com.mexcpipe.exporter.parquet.ParquetExportWriter}: streaming, memory bounded by about
 * {@code (threads + 1) × 16 MiB} of row text whatever the number of rows; {@code finish()} writes the footer, fsyncs
 * and closes; {@code close()} without {@code finish()} deletes the partial file. The caller renames the finished file
 * into place and fsyncs the directory.
 *
 * <h2>Reading</h2>
 * {@link com.mexcpipe.exporter.parquet.ParquetExportReader#read(java.nio.file.Path)}: reads every value (page CRCs
 * verified) and returns an {@link com.mexcpipe.exporter.parquet.ExportFileReport} (counts by {@code mt}, nulls,
 * {@code ts} range, metadata, newest rows per type, problems); a file that cannot be read to the end throws
 * {@link com.mexcpipe.exporter.parquet.ExportReadException}.
 */
package com.mexcpipe.exporter.parquet;
