package com.mexcpipe.client.store;

import com.mexcpipe.common.AtomicFiles;
import com.mexcpipe.common.Row;
import com.mexcpipe.common.RowType;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rows that could not stay in memory or could not be stored before shutdown, on local disk until ClickHouse takes
 * them. A segment holds a run of consecutive rows and is named by the sequence number of its first row and its row
 * count, so segments replay in arrival order, also across restarts. A segment is written whole (temp file, fsync,
 * rename); its progress (rows already stored) is a small side file, so a restart neither loses nor repeats rows.
 *
 * <p>Record: {@code u32 payloadLength, payload = (i64 ts, u8 mt, UTF-8 m), u32 crc32(payload)}. Not thread-safe;
 * the batcher serialises access.
 */
public final class Spool {
    private static final Logger log = LoggerFactory.getLogger(Spool.class);
    private static final Pattern NAME = Pattern.compile("(\\d{19})-(\\d+)\\.seg");

    /** One segment file. */
    public record Segment(Path file, long firstSeq, int rows, long bytes) {
    }

    private final Path dir;
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private long bytes;
    private long rows;
    // the open reader of the head segment
    private Segment readerSegment;
    private DataInputStream reader;
    private int readerPos;
    private final java.util.ArrayDeque<Row> lookahead = new java.util.ArrayDeque<>();

    public Spool(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                Matcher m = NAME.matcher(name);
                if (m.matches()) {
                    Segment s = new Segment(f, Long.parseLong(m.group(1)), Integer.parseInt(m.group(2)), Files.size(f));
                    segments.put(s.firstSeq(), s);
                    bytes += s.bytes();
                    rows += s.rows() - acked(s);
                } else if (name.startsWith(".") && name.contains(".tmp-")) {
                    Files.deleteIfExists(f); // an interrupted write: its rows were still in memory, never acknowledged
                }
            }
        }
        if (!segments.isEmpty()) {
            log.info("spool {}: {} segment(s), {} row(s) waiting to be stored", dir, segments.size(), rows);
        }
    }

    public Path directory() {
        return dir;
    }

    public boolean isEmpty() {
        return segments.isEmpty();
    }

    /** Rows in the spool not yet stored. */
    public long rows() {
        return rows;
    }

    public long bytes() {
        return bytes;
    }

    /** Sequence number after the last spooled row (0 when empty), so new rows number on from it. */
    public long nextSeq() {
        return segments.isEmpty() ? 0 : segments.lastEntry().getValue().firstSeq() + segments.lastEntry().getValue().rows();
    }

    /** Sequence number of the oldest row still in the spool; {@link Long#MAX_VALUE} when empty. */
    public long headSeq() {
        if (segments.isEmpty()) {
            return Long.MAX_VALUE;
        }
        Segment s = segments.firstEntry().getValue();
        return s.firstSeq() + (s == readerSegment ? readerPos : acked(s));
    }

    /** Writes {@code batch} (rows numbered from {@code firstSeq}) as one new segment, durably. */
    public Segment append(long firstSeq, List<Row> batch) throws IOException {
        String name = String.format("%019d-%d.seg", firstSeq, batch.size());
        Path target = dir.resolve(name);
        Path tmp = dir.resolve("." + name + ".tmp-" + System.nanoTime());
        CRC32 crc = new CRC32();
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16))) {
            byte[] payload = new byte[256];
            for (Row r : batch) {
                byte[] m = r.m().getBytes(StandardCharsets.UTF_8);
                int len = 9 + m.length;
                if (payload.length < len) {
                    payload = new byte[Math.max(len, payload.length * 2)];
                }
                putLong(payload, 0, r.ts());
                payload[8] = (byte) r.mt().code();
                System.arraycopy(m, 0, payload, 9, m.length);
                crc.reset();
                crc.update(payload, 0, len);
                out.writeInt(len);
                out.write(payload, 0, len);
                out.writeInt((int) crc.getValue());
            }
            out.flush();
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        AtomicFiles.moveAtomically(tmp, target);
        AtomicFiles.fsyncDirectory(dir);
        Segment s = new Segment(target, firstSeq, batch.size(), Files.size(target));
        segments.put(firstSeq, s);
        bytes += s.bytes();
        rows += s.rows();
        return s;
    }

    /**
     * Returns up to {@code max} rows from the head of the spool without consuming them; they are consumed by
     * {@link #ack} once stored. Returns an empty list when the spool is empty.
     */
    public List<Row> peek(int max) throws IOException {
        if (segments.isEmpty()) {
            return List.of();
        }
        Segment head = segments.firstEntry().getValue();
        if (readerSegment != head) {
            openReader(head);
        }
        while (lookahead.size() < max && readerPos + lookahead.size() < head.rows()) {
            lookahead.add(readRecord(head, readerPos + lookahead.size()));
        }
        List<Row> out = new ArrayList<>(Math.min(max, lookahead.size()));
        for (Row r : lookahead) {
            if (out.size() == max) {
                break;
            }
            out.add(r);
        }
        return out;
    }

    /** Marks the first {@code n} rows returned by the last {@link #peek} as stored. */
    public void ack(int n) throws IOException {
        if (n > lookahead.size()) {
            throw new IllegalStateException("ack of " + n + " rows, only " + lookahead.size() + " peeked");
        }
        Segment head = readerSegment;
        for (int i = 0; i < n; i++) {
            lookahead.removeFirst();
        }
        readerPos += n;
        rows -= n;
        if (readerPos >= head.rows()) {
            closeReader();
            segments.remove(head.firstSeq());
            bytes -= head.bytes();
            Files.deleteIfExists(ackFile(head));
            Files.deleteIfExists(head.file());
            AtomicFiles.fsyncDirectory(dir);
        } else {
            AtomicFiles.writeString(ackFile(head), Integer.toString(readerPos));
        }
    }

    private void openReader(Segment s) throws IOException {
        closeReader();
        reader = new DataInputStream(new BufferedInputStream(Files.newInputStream(s.file()), 1 << 16));
        readerSegment = s;
        int done = acked(s);
        for (int i = 0; i < done; i++) {
            readRecord(s, i);
        }
        readerPos = done;
    }

    private Row readRecord(Segment s, int index) throws IOException {
        try {
            int len = reader.readInt();
            if (len < 9 || len > (1 << 30)) {
                throw new IOException("corrupt spool record length " + len);
            }
            byte[] payload = new byte[len];
            reader.readFully(payload);
            int crc = reader.readInt();
            CRC32 c = new CRC32();
            c.update(payload, 0, len);
            if ((int) c.getValue() != crc) {
                throw new IOException("spool record checksum mismatch");
            }
            long ts = getLong(payload, 0);
            RowType mt = RowType.ofCode(payload[8]);
            return new Row(ts, mt, new String(payload, 9, len - 9, StandardCharsets.UTF_8));
        } catch (EOFException e) {
            throw new IOException("spool segment " + s.file() + " ends before row " + index + " of " + s.rows(), e);
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException("spool segment " + s.file() + " is damaged at row " + index + ": " + e.getMessage(), e);
        }
    }

    private int acked(Segment s) {
        Path f = ackFile(s);
        try {
            return Files.exists(f) ? Integer.parseInt(Files.readString(f).trim()) : 0;
        } catch (IOException | NumberFormatException e) {
            log.warn("spool progress file {} unreadable ({}); replaying the segment from its start", f, e.toString());
            return 0;
        }
    }

    private Path ackFile(Segment s) {
        return s.file().resolveSibling(s.file().getFileName() + ".done");
    }

    /**
     * Moves a damaged segment aside (renamed {@code *.damaged}, never deleted) so the rest of the spool can drain;
     * returns the number of rows it still held.
     */
    public int quarantineHead() throws IOException {
        Segment head = segments.firstEntry().getValue();
        int left = head.rows() - (readerSegment == head ? readerPos : acked(head));
        closeReader();
        segments.remove(head.firstSeq());
        bytes -= head.bytes();
        rows -= left;
        Files.move(head.file(), head.file().resolveSibling(head.file().getFileName() + ".damaged"));
        return left;
    }

    public void close() {
        closeReader();
    }

    private void closeReader() {
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException ignored) {
                // read-only stream
            }
        }
        reader = null;
        readerSegment = null;
        readerPos = 0;
        lookahead.clear();
    }

    private static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }
}
