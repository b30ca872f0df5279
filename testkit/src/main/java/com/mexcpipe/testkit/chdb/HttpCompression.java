package com.mexcpipe.testkit.chdb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.InflaterInputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorOutputStream;

/** HTTP {@code Content-Encoding} in both directions ({@code enable_http_compression=1}): lz4 (frames), gzip, deflate. */
final class HttpCompression {
    private HttpCompression() {
    }

    /** Wraps a request body sent with {@code Content-Encoding: encoding}. */
    static InputStream decoding(String encoding, InputStream in) throws IOException {
        return switch (encoding.trim().toLowerCase(Locale.ROOT)) {
            case "lz4" -> new FramedLZ4CompressorInputStream(in, true);
            case "gzip", "x-gzip" -> new GZIPInputStream(in);
            case "deflate" -> new InflaterInputStream(in);
            default -> throw new NativeCompression.CodecException(432,
                    "Unknown HTTP compression method in Content-Encoding: " + encoding + ". (UNKNOWN_CODEC)");
        };
    }

    /** The first encoding of {@code acceptEncoding} this endpoint can produce, or null. */
    static String choose(String acceptEncoding) {
        if (acceptEncoding == null) {
            return null;
        }
        for (String part : acceptEncoding.split(",")) {
            String name = part.split(";")[0].trim().toLowerCase(Locale.ROOT);
            if (name.equals("lz4") || name.equals("gzip") || name.equals("deflate")) {
                return name;
            }
        }
        return null;
    }

    static byte[] encode(String encoding, byte[] data) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(data.length / 2 + 64);
        try (OutputStream out = switch (encoding) {
            case "lz4" -> new FramedLZ4CompressorOutputStream(buffer);
            case "gzip" -> new GZIPOutputStream(buffer);
            case "deflate" -> new DeflaterOutputStream(buffer);
            default -> throw new IllegalArgumentException(encoding);
        }) {
            out.write(data);
        }
        return buffer.toByteArray();
    }
}
