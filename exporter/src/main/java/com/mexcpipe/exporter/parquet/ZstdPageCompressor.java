package com.mexcpipe.exporter.parquet;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * ZSTD page compressor: one reused native context and reused heap buffers, one-shot compression of each page, and
 * no copy of a page that arrives as one array (see {@link PlainBinaryValuesWriter}).
 *
 * <p>parquet-hadoop's own ZSTD path ({@code CodecFactory} + {@code ZstandardCodec}) opens a new streaming
 * {@code ZstdOutputStream} (a fresh native stream context) for every page and copies through Hadoop stream wrappers;
 * this does the same job (a standard ZSTD frame per page, which every reader decodes) with less work per page. Not
 * thread-safe: one instance per encoding thread. The returned {@link BytesInput} points into an internal buffer and is
 * valid until the next {@link #compress} call ({@code ColumnChunkPageWriteStore} copies it at once).
 */
final class ZstdPageCompressor implements BytesInputCompressor {
    private final ZstdCompressCtx ctx;
    private byte[] in = new byte[256 * 1024];
    private int inLength;
    private byte[] out = new byte[(int) Zstd.compressBound(in.length)];
    private boolean released;

    /**
     * Where the page's bytes are: a page that arrives in one piece (one {@code write(byte[], off, len)}) is compressed
     * straight from the caller's array; a page in several pieces is copied together into {@link #in}.
     */
    private byte[] src;
    private int srcOffset;

    private final OutputStream sink = new OutputStream() {
        @Override
        public void write(int b) {
            gather(1);
            in[inLength++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (len == 0) {
                return;
            }
            if (src == null && inLength == 0) {
                src = b; // first piece: keep a reference only
                srcOffset = off;
                inLength = len;
                return;
            }
            gather(len);
            System.arraycopy(b, off, in, inLength, len);
            inLength += len;
        }

        /** Makes {@link #in} hold everything so far, with room for {@code more}. */
        private void gather(int more) {
            if (src != null) {
                byte[] first = src;
                src = null;
                ensureIn(inLength + more);
                System.arraycopy(first, srcOffset, in, 0, inLength);
            } else {
                ensureIn(inLength + more);
            }
        }
    };

    ZstdPageCompressor(int level) {
        ctx = new ZstdCompressCtx();
        ctx.setLevel(level);
        ctx.setChecksum(false);
        ctx.setContentSize(true);
    }

    @Override
    public BytesInput compress(BytesInput bytes) throws IOException {
        if (released) {
            throw new IllegalStateException("compressor released");
        }
        long size = bytes.size();
        if (size > Integer.MAX_VALUE - 1024) {
            throw new IOException("page too large to compress: " + size + " bytes");
        }
        inLength = 0;
        src = null;
        bytes.writeAllTo(sink);
        int bound = (int) Zstd.compressBound(inLength);
        if (out.length < bound) {
            out = new byte[bound];
        }
        int n = src != null
                ? ctx.compressByteArray(out, 0, out.length, src, srcOffset, inLength)
                : ctx.compressByteArray(out, 0, out.length, in, 0, inLength);
        src = null;
        return BytesInput.from(out, 0, n);
    }

    @Override
    public CompressionCodecName getCodecName() {
        return CompressionCodecName.ZSTD;
    }

    @Override
    public void release() {
        if (!released) {
            released = true;
            ctx.close();
            in = null;
            out = null;
        }
    }

    private void ensureIn(int capacity) {
        if (in.length < capacity) {
            in = java.util.Arrays.copyOf(in, Math.max(capacity, in.length * 2));
        }
    }
}
