package com.mexcpipe.testkit.chdb;

import com.clickhouse.data.ClickHouseCityHash;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * ClickHouse's native compressed block format, as used by the HTTP interface for {@code compress=1} responses and
 * {@code decompress=1} request bodies (CHDB-CLICKHOUSE.md §4):
 *
 * <pre>[CityHash128 v1.0.2 of the rest: low 64 bits LE, high 64 bits LE][method][u32 LE compressed size incl. 9-byte
 * header][u32 LE uncompressed size][payload]</pre>
 *
 * Methods: {@code 0x82} LZ4, {@code 0x02} none, {@code 0x90} ZSTD (decoded only when zstd-jni is on the classpath).
 *
 * <p>The checksum is the driver's own {@code ClickHouseCityHash} (ClickHouse's CityHash v1.0.2); it is deprecated with
 * the v1 client API, but client-v2 0.11.0 still uses it for exactly this, so it stays in step with the driver.
 */
@SuppressWarnings("deprecation")
public final class NativeCompression {
    public static final int METHOD_NONE = 0x02;
    public static final int METHOD_LZ4 = 0x82;
    public static final int METHOD_ZSTD = 0x90;
    /** The server's block size for compressed responses. */
    static final int MAX_BLOCK = 1 << 20;
    /** Refuse absurd block headers instead of allocating them. */
    private static final int MAX_DECODED_BLOCK = 1 << 30;
    private static final int CHECKSUM = 16;
    private static final int HEADER = 9;

    private static final LZ4Factory LZ4 = LZ4Factory.fastestJavaInstance();

    private NativeCompression() {
    }

    /** A request body that cannot be decoded; carries the ClickHouse error code a server would answer with. */
    public static final class CodecException extends IOException {
        private static final long serialVersionUID = 1L;
        private final int code;

        CodecException(int code, String message) {
            super(message);
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /** Encodes {@code data} as LZ4 blocks of at most 1 MiB each; empty input gives an empty output. */
    public static byte[] compress(byte[] data) {
        return compress(data, METHOD_LZ4);
    }

    /** Encodes {@code data} with {@link #METHOD_LZ4} or {@link #METHOD_NONE}. */
    public static byte[] compress(byte[] data, int method) {
        LZ4Compressor compressor = LZ4.fastCompressor();
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
        for (int off = 0; off < data.length; off += MAX_BLOCK) {
            int n = Math.min(MAX_BLOCK, data.length - off);
            byte[] block;
            int payload;
            if (method == METHOD_LZ4) {
                int max = compressor.maxCompressedLength(n);
                block = new byte[CHECKSUM + HEADER + max];
                payload = compressor.compress(data, off, n, block, CHECKSUM + HEADER, max);
            } else if (method == METHOD_NONE) {
                block = new byte[CHECKSUM + HEADER + n];
                System.arraycopy(data, off, block, CHECKSUM + HEADER, n);
                payload = n;
            } else {
                throw new IllegalArgumentException("method 0x" + Integer.toHexString(method));
            }
            block[CHECKSUM] = (byte) method;
            putIntLE(block, CHECKSUM + 1, payload + HEADER);
            putIntLE(block, CHECKSUM + 5, n);
            long[] hash = ClickHouseCityHash.cityHash128(block, CHECKSUM, HEADER + payload);
            putLongLE(block, 0, hash[0]);
            putLongLE(block, 8, hash[1]);
            out.write(block, 0, CHECKSUM + HEADER + payload);
        }
        return out.toByteArray();
    }

    /** Decodes a stream of native blocks; each block's checksum is verified. */
    public static InputStream decoding(InputStream in) {
        return new DecodingStream(in);
    }

    private static final class DecodingStream extends InputStream {
        private final InputStream in;
        private final LZ4SafeDecompressor lz4 = LZ4.safeDecompressor();
        private byte[] block = new byte[0];
        private int pos;
        private boolean eof;

        DecodingStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (pos >= block.length) {
                if (eof || !nextBlock()) {
                    eof = true;
                    return -1;
                }
            }
            int n = Math.min(len, block.length - pos);
            System.arraycopy(block, pos, b, off, n);
            pos += n;
            return n;
        }

        private boolean nextBlock() throws IOException {
            byte[] head = in.readNBytes(CHECKSUM + HEADER);
            if (head.length == 0) {
                return false;
            }
            if (head.length < CHECKSUM + HEADER) {
                throw new CodecException(271, "Cannot decompress: truncated block header ("
                        + head.length + " bytes). (CANNOT_DECOMPRESS)");
            }
            int method = head[CHECKSUM] & 0xff;
            long compressed = getIntLE(head, CHECKSUM + 1) & 0xffffffffL;
            long size = getIntLE(head, CHECKSUM + 5) & 0xffffffffL;
            if (compressed < HEADER || compressed > MAX_DECODED_BLOCK || size > MAX_DECODED_BLOCK) {
                throw new CodecException(271, "Cannot decompress: bad block sizes (compressed " + compressed
                        + ", uncompressed " + size + "). (CANNOT_DECOMPRESS)");
            }
            byte[] frame = new byte[(int) compressed];
            System.arraycopy(head, CHECKSUM, frame, 0, HEADER);
            int got = in.readNBytes(frame, HEADER, frame.length - HEADER);
            if (got != frame.length - HEADER) {
                throw new CodecException(271, "Cannot decompress: truncated block. (CANNOT_DECOMPRESS)");
            }
            long[] hash = ClickHouseCityHash.cityHash128(frame, 0, frame.length);
            if (hash[0] != getLongLE(head, 0) || hash[1] != getLongLE(head, 8)) {
                throw new CodecException(40, "Checksum doesn't match: corrupted data. (CHECKSUM_DOESNT_MATCH)");
            }
            int payload = frame.length - HEADER;
            switch (method) {
                case METHOD_NONE -> {
                    if (payload != size) {
                        throw new CodecException(271, "Cannot decompress: method none with differing sizes. "
                                + "(CANNOT_DECOMPRESS)");
                    }
                    block = new byte[payload];
                    System.arraycopy(frame, HEADER, block, 0, payload);
                }
                case METHOD_LZ4 -> {
                    block = new byte[(int) size];
                    try {
                        int n = lz4.decompress(frame, HEADER, payload, block, 0, block.length);
                        if (n != size) {
                            throw new CodecException(271, "Cannot decompress LZ4: got " + n + " bytes, expected "
                                    + size + ". (CANNOT_DECOMPRESS)");
                        }
                    } catch (LZ4Exception e) {
                        throw new CodecException(271, "Cannot decompress LZ4: " + e.getMessage()
                                + ". (CANNOT_DECOMPRESS)");
                    }
                }
                case METHOD_ZSTD -> block = Zstd.decompress(frame, HEADER, payload, (int) size);
                default -> throw new CodecException(432, "Unknown codec family code: 0x"
                        + Integer.toHexString(method) + ". (UNKNOWN_CODEC)");
            }
            pos = 0;
            return true;
        }
    }

    /** ZSTD through zstd-jni when it is on the classpath (it is optional for the driver too). */
    private static final class Zstd {
        private static final Method DECOMPRESS = find();

        private static Method find() {
            try {
                return Class.forName("com.github.luben.zstd.Zstd").getMethod("decompress", byte[].class, int.class);
            } catch (ReflectiveOperationException | LinkageError e) {
                return null;
            }
        }

        static byte[] decompress(byte[] frame, int off, int len, int size) throws CodecException {
            if (DECOMPRESS == null) {
                throw new CodecException(432, "ZSTD request bodies need zstd-jni on the endpoint's classpath; "
                        + "configure the client with compression.method=LZ4. (UNKNOWN_CODEC)");
            }
            byte[] src = new byte[len];
            System.arraycopy(frame, off, src, 0, len);
            try {
                byte[] out = (byte[]) DECOMPRESS.invoke(null, src, size);
                if (out.length != size) {
                    throw new CodecException(271, "Cannot decompress ZSTD: size mismatch. (CANNOT_DECOMPRESS)");
                }
                return out;
            } catch (ReflectiveOperationException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                throw new CodecException(271, "Cannot decompress ZSTD: " + cause.getMessage() + ". (CANNOT_DECOMPRESS)");
            }
        }
    }

    static void putIntLE(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    static void putLongLE(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    static int getIntLE(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    static long getLongLE(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[off + i] & 0xff);
        }
        return v;
    }
}
