package com.mexcpipe.exporter.parquet;

import com.mexcpipe.common.RowType;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams the rows of one export into one Parquet file (DESIGN §5): {@code ts} timestamp-millis UTC, {@code mt} and
 * {@code m} strings, all required, ZSTD, with the {@code mexc.*} key-value metadata (see {@link ExportSchema}) written
 * into the footer when the file is finished.
 *
 * <pre>{@code
 * try (ParquetExportWriter w = new ParquetExportWriter(tmp, new ExportMetadata("BTC_USDT", start, end),
 *         ExportWriterOptions.defaults())) {
 *     for (...each row of SELECT ts, mt, m ... ORDER BY ts...) w.write(ts, mt, m);
 *     WriteSummary s = w.finish();   // footer, flush, fsync, close
 * }                                  // close() without finish(): abandons and deletes the partial file
 * }</pre>
 *
 * <p><b>Row groups.</b> Rows are cut into row groups of at most {@link ExportWriterOptions#chunkRows()} rows and
 * about {@link ExportWriterOptions#chunkBytes()} bytes of input text, whichever comes first. Each row group is encoded
 * and compressed in memory by a {@link RowGroupEncoder} and then appended to the file as bytes.
 *
 * <p><b>Parallel path</b> ({@link ExportWriterOptions#threads()} &gt; 1): the caller's thread only collects rows into
 * a chunk; a full chunk goes to a pool of {@code threads} encoder threads, and the caller's thread appends finished
 * row groups to the file strictly in submission order. Before it starts filling a new chunk it waits until fewer than
 * {@code threads} chunks are being encoded or waiting to be appended, so at most {@code threads + 1} chunks exist at
 * any time (one filling, {@code threads} submitted): memory is bounded by about {@code (threads + 1) × chunk} whatever
 * the number of rows. The output is byte-for-byte the file the single-threaded path writes.
 *
 * <p><b>Single-threaded path</b> ({@code threads == 1}): rows are encoded as they arrive (no chunk buffer), one row
 * group in memory at a time.
 *
 * <p>Rows must arrive in non-decreasing {@code ts} order (the export reads {@code ORDER BY ts}); a row out of order is
 * refused with {@link IllegalArgumentException} and not written. A file with no rows is valid: the schema, no row
 * groups, counts of 0 and no {@code mexc.ts.min}/{@code mexc.ts.max} keys.
 *
 * <p>Not thread-safe: one thread calls {@code write}, {@code finish} and {@code close}.
 */
public final class ParquetExportWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ParquetExportWriter.class);
    private static final DateTimeFormatter TS_FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** Input bytes counted per row on top of {@code m}'s length (ts, mt, per-value overhead). */
    private static final int ROW_OVERHEAD_BYTES = 16;
    private static final RowType[] TYPES = RowType.values();

    private final Path file;
    private final ExportMetadata metadata;
    private final ExportWriterOptions options;
    private final long startNanos = System.nanoTime();
    private final FsyncOutputFile output;
    private final ParquetFileWriter fileWriter;
    private final RowGroupEncoder.Config config;

    private final long[] counts = new long[RowType.values().length];
    private long rows;
    private long minTs = Long.MAX_VALUE;
    private long maxTs = Long.MIN_VALUE;
    private long lastTs = Long.MIN_VALUE;
    private int rowGroups;

    /** Single-threaded path: the row group being encoded and its input size so far. */
    private RowGroupEncoder encoder;
    private long encoderBytes;
    private ZstdPageCompressor compressor;

    /** Parallel path. */
    private final ExecutorService pool;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final ArrayDeque<Chunk> spare = new ArrayDeque<>();
    private Chunk filling;
    private int peakInFlight;

    private enum State { OPEN, FINISHED, FAILED, CLOSED }

    private State state = State.OPEN;

    /**
     * Creates {@code file} (refused if it exists, unless {@link ExportWriterOptions#overwrite()}) and writes the file
     * header.
     *
     * @throws IOException if the file cannot be created
     */
    public ParquetExportWriter(Path file, ExportMetadata metadata, ExportWriterOptions options) throws IOException {
        this.file = Objects.requireNonNull(file, "file");
        this.metadata = Objects.requireNonNull(metadata, "metadata");
        this.options = Objects.requireNonNull(options, "options");
        this.config = new RowGroupEncoder.Config(ExportSchema.PARQUET, properties(options), options.zstdLevel());
        this.output = new FsyncOutputFile(file);
        ParquetProperties props = config.properties();
        ParquetFileWriter fw = new ParquetFileWriter(output, ExportSchema.PARQUET,
                options.overwrite() ? ParquetFileWriter.Mode.OVERWRITE : ParquetFileWriter.Mode.CREATE,
                options.chunkBytes(), 0, props.getColumnIndexTruncateLength(), props.getStatisticsTruncateLength(),
                props.getPageWriteChecksumEnabled());
        try {
            fw.start();
        } catch (IOException | RuntimeException e) {
            output.abandon();
            Files.deleteIfExists(file);
            throw e;
        }
        this.fileWriter = fw;
        this.pool = options.threads() > 1 ? Executors.newFixedThreadPool(options.threads(), new EncoderThreads())
                : null;
    }

    static ParquetProperties properties(ExportWriterOptions options) {
        ParquetProperties.Builder b = ParquetProperties.builder()
                .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
                .withPageSize(options.pageSize())
                .withDictionaryPageSize(options.pageSize())
                // dictionary only for mt (4 values); ts and m are nearly all distinct, a dictionary never pays
                .withDictionaryEncoding(false)
                .withDictionaryEncoding(ExportSchema.MT, true)
                // min/max of long free text is useless and costs a comparison of every value
                .withStatisticsEnabled(ExportSchema.M, false)
                .withPageWriteChecksumEnabled(true);
        return b.withValuesWriterFactory(new ExportValuesWriterFactory(options.deltaTs())).build();
    }

    /**
     * Adds one row.
     *
     * @param ts epoch milliseconds, UTC; not smaller than the previous row's
     * @param mt the row's type
     * @param m  the payload text (any length, may be empty)
     * @throws IllegalArgumentException if {@code ts} is smaller than the previous row's (the row is not written)
     * @throws IOException if encoding or writing failed; the writer is then unusable and {@link #close()} deletes the
     *                     partial file
     */
    public void write(long ts, RowType mt, String m) throws IOException {
        Objects.requireNonNull(mt, "mt");
        Objects.requireNonNull(m, "m");
        ensureOpen();
        if (ts < lastTs) {
            throw new IllegalArgumentException("rows must arrive in ts order: " + ts + " after " + lastTs);
        }
        try {
            if (pool == null) {
                writeDirect(ts, mt, m);
            } else {
                writeParallel(ts, mt, m);
            }
        } catch (IOException | RuntimeException | Error e) {
            state = State.FAILED;
            throw e;
        }
        lastTs = ts;
        counts[mt.ordinal()]++;
        rows++;
        if (ts < minTs) {
            minTs = ts;
        }
        if (ts > maxTs) {
            maxTs = ts;
        }
    }

    private void writeDirect(long ts, RowType mt, String m) throws IOException {
        if (encoder == null) {
            if (compressor == null) {
                compressor = new ZstdPageCompressor(options.zstdLevel());
            }
            encoder = new RowGroupEncoder(config, compressor);
            encoderBytes = 0;
        }
        encoder.add(ts, mt, m);
        encoderBytes += m.length() + ROW_OVERHEAD_BYTES;
        if (encoder.rows() >= options.chunkRows() || encoderBytes >= options.chunkBytes()) {
            flushDirect();
        }
    }

    private void flushDirect() throws IOException {
        try (RowGroupEncoder e = encoder) {
            encoder = null;
            e.finish().appendTo(fileWriter);
            rowGroups++;
        }
    }

    private void writeParallel(long ts, RowType mt, String m) throws IOException {
        if (filling == null) {
            filling = nextChunk();
        }
        filling.add(ts, mt, m);
        if (filling.n >= options.chunkRows() || filling.bytes >= options.chunkBytes()) {
            submit();
        }
    }

    /** Waits until fewer than {@code threads} chunks are pending, so the new one makes at most threads + 1. */
    private Chunk nextChunk() throws IOException {
        while (pending.size() >= options.threads()) {
            appendHead();
        }
        appendDone();
        Chunk c = spare.pollFirst();
        if (c == null) {
            c = new Chunk();
        }
        peakInFlight = Math.max(peakInFlight, pending.size() + 1);
        return c;
    }

    private void submit() {
        Chunk c = filling;
        filling = null;
        Future<RowGroupEncoder> f = pool.submit(() -> encode(c));
        pending.addLast(new Pending(c, f));
    }

    private RowGroupEncoder encode(Chunk c) {
        ZstdPageCompressor zc = new ZstdPageCompressor(options.zstdLevel());
        RowGroupEncoder e = new RowGroupEncoder(config, zc);
        try {
            for (int i = 0; i < c.n; i++) {
                e.add(c.ts[i], TYPES[c.mt[i]], c.m[i]);
            }
            e.finish();
            return e;
        } catch (RuntimeException | Error t) {
            e.close();
            throw t;
        } finally {
            zc.release(); // pages are compressed by now; finish() flushed the last ones
        }
    }

    /** Appends every finished row group at the head of the queue, without waiting. */
    private void appendDone() throws IOException {
        while (!pending.isEmpty() && pending.peekFirst().future.isDone()) {
            appendHead();
        }
    }

    /** Waits for the oldest pending row group and appends it. */
    private void appendHead() throws IOException {
        Pending p = pending.pollFirst();
        RowGroupEncoder e;
        try {
            e = p.future.get();
        } catch (InterruptedException ie) {
            p.future.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a row group to be encoded");
        } catch (ExecutionException ee) {
            Throwable cause = ee.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException("encoding a row group failed", cause);
        }
        try (e) {
            e.appendTo(fileWriter);
            rowGroups++;
        }
        p.chunk.clear();
        spare.addLast(p.chunk);
    }

    /**
     * Writes the last row group and the footer (with the row counts), flushes, fsyncs and closes the file.
     *
     * @return what was written
     * @throws IOException if writing failed; {@link #close()} then deletes the partial file
     */
    public WriteSummary finish() throws IOException {
        ensureOpen();
        try {
            if (pool == null) {
                if (encoder != null) {
                    flushDirect();
                }
            } else {
                if (filling != null && filling.n > 0) {
                    submit();
                }
                while (!pending.isEmpty()) {
                    appendHead();
                }
                pool.shutdown();
            }
            fileWriter.end(footer()); // closes the stream: flush + fsync
        } catch (IOException | RuntimeException | Error e) {
            state = State.FAILED;
            throw e;
        } finally {
            releaseCompressor();
        }
        state = State.FINISHED;
        WriteSummary s = new WriteSummary(file, countsByType(), rows,
                rows == 0 ? OptionalLong.empty() : OptionalLong.of(minTs),
                rows == 0 ? OptionalLong.empty() : OptionalLong.of(maxTs),
                Files.size(file), rowGroups, System.nanoTime() - startNanos);
        LOG.debug("wrote {}: {} rows in {} row groups, {} bytes", file, rows, rowGroups, s.bytes());
        return s;
    }

    private Map<String, String> footer() {
        Map<String, String> kv = new LinkedHashMap<>();
        kv.put(ExportSchema.AVRO_SCHEMA_KEY, ExportSchema.AVRO_JSON);
        kv.put(ExportSchema.KEY_SYMBOL, metadata.symbol());
        kv.put(ExportSchema.KEY_PERIOD_START, metadata.periodStart().toString());
        kv.put(ExportSchema.KEY_PERIOD_END, metadata.periodEnd().toString());
        for (RowType t : RowType.values()) {
            kv.put(ExportSchema.rowsKey(t), Long.toString(counts[t.ordinal()]));
        }
        kv.put(ExportSchema.KEY_ROWS_TOTAL, Long.toString(rows));
        if (rows > 0) {
            kv.put(ExportSchema.KEY_TS_MIN, formatTs(minTs));
            kv.put(ExportSchema.KEY_TS_MAX, formatTs(maxTs));
        }
        kv.put(ExportSchema.KEY_PRODUCER, options.producer());
        return kv;
    }

    /** The {@code mexc.ts.min}/{@code mexc.ts.max} format: ISO-8601 UTC with milliseconds. */
    public static String formatTs(long epochMillis) {
        return TS_FORMAT.format(Instant.ofEpochMilli(epochMillis));
    }

    private Map<RowType, Long> countsByType() {
        Map<RowType, Long> m = new EnumMap<>(RowType.class);
        for (RowType t : RowType.values()) {
            m.put(t, counts[t.ordinal()]);
        }
        return m;
    }

    /**
     * If {@link #finish()} was not called or failed: stops the encoder threads, closes and deletes the partial file.
     * After a successful {@code finish()}: nothing. Idempotent, never throws for cleanup problems other than a failed
     * delete.
     */
    @Override
    public void close() throws IOException {
        if (state == State.CLOSED || state == State.FINISHED) {
            state = State.CLOSED;
            return;
        }
        state = State.CLOSED;
        if (pool != null) {
            pool.shutdownNow();
            for (Pending p : pending) {
                p.future.cancel(true);
            }
            try {
                pool.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            for (Pending p : pending) {
                if (p.future.isDone() && !p.future.isCancelled()) {
                    try {
                        p.future.get().close();
                    } catch (ExecutionException | InterruptedException | RuntimeException ignored) {
                        // abandoning
                    }
                }
            }
            pending.clear();
        }
        if (encoder != null) {
            encoder.close();
            encoder = null;
        }
        releaseCompressor();
        fileWriter.abort();
        output.abandon();
        Files.deleteIfExists(file);
        LOG.debug("abandoned {}", file);
    }

    private void releaseCompressor() {
        if (compressor != null) {
            compressor.release();
            compressor = null;
        }
    }

    private void ensureOpen() {
        if (state != State.OPEN) {
            throw new IllegalStateException("writer is " + state.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** Rows written so far. */
    public long rows() {
        return rows;
    }

    /** Largest number of chunks that existed at once (filling + submitted); at most threads + 1. For tests. */
    int peakChunksInFlight() {
        return peakInFlight;
    }

    /** A chunk of rows collected by the caller's thread for one row group. Reused. */
    private static final class Chunk {
        long[] ts = new long[1024];
        byte[] mt = new byte[1024];
        String[] m = new String[1024];
        int n;
        long bytes;

        void add(long t, RowType type, String text) {
            if (n == ts.length) {
                int cap = n * 2;
                ts = Arrays.copyOf(ts, cap);
                mt = Arrays.copyOf(mt, cap);
                m = Arrays.copyOf(m, cap);
            }
            ts[n] = t;
            mt[n] = (byte) type.ordinal();
            m[n] = text;
            n++;
            bytes += text.length() + ROW_OVERHEAD_BYTES;
        }

        void clear() {
            Arrays.fill(m, 0, n, null);
            n = 0;
            bytes = 0;
        }
    }

    private record Pending(Chunk chunk, Future<RowGroupEncoder> future) {
    }

    private static final class EncoderThreads implements ThreadFactory {
        private static final AtomicInteger SEQ = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "parquet-encoder-" + SEQ.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
