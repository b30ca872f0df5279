package com.mexcpipe.exporter.parquet;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.io.api.Binary;

/**
 * PLAIN encoding of BYTE_ARRAY values (4-byte little-endian length, then the bytes) into one reused, growing byte
 * array: the same bytes as parquet-mr's {@code PlainValuesWriter}, but contiguous, so a page reaches the compressor
 * as one array that {@link ZstdPageCompressor} compresses in place (parquet-mr's writer keeps a list of slabs, which
 * must be copied together first). The page's {@link BytesInput} points into the array; the column writer consumes it
 * (compresses and copies the page) before {@link #reset()}.
 */
final class PlainBinaryValuesWriter extends ValuesWriter {
    private byte[] buf;
    private int len;

    PlainBinaryValuesWriter(int initialCapacity) {
        buf = new byte[Math.max(64, initialCapacity)];
    }

    @Override
    public void writeBytes(Binary v) {
        int n = v.length();
        int need = len + 4 + n;
        if (need > buf.length || need < 0) {
            grow(need);
        }
        buf[len] = (byte) n;
        buf[len + 1] = (byte) (n >>> 8);
        buf[len + 2] = (byte) (n >>> 16);
        buf[len + 3] = (byte) (n >>> 24);
        ByteBuffer b = v.toByteBuffer();
        b.get(buf, len + 4, n);
        len = need;
    }

    private void grow(int need) {
        if (need < 0) {
            throw new IllegalStateException("page larger than 2 GiB");
        }
        buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(need, (long) buf.length * 2)));
    }

    @Override
    public long getBufferedSize() {
        return len;
    }

    @Override
    public BytesInput getBytes() {
        return BytesInput.from(buf, 0, len);
    }

    @Override
    public Encoding getEncoding() {
        return Encoding.PLAIN;
    }

    @Override
    public void reset() {
        len = 0;
    }

    @Override
    public long getAllocatedSize() {
        return buf.length;
    }

    @Override
    public String memUsageString(String prefix) {
        return prefix + " PlainBinaryValuesWriter " + buf.length + " bytes";
    }
}
