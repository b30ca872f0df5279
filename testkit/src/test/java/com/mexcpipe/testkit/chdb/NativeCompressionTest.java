package com.mexcpipe.testkit.chdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NativeCompressionTest {
    private static byte[] decode(byte[] encoded) throws IOException {
        return NativeCompression.decoding(new ByteArrayInputStream(encoded)).readAllBytes();
    }

    @Test
    void lz4AndNoneRoundTripAcrossBlocks() throws IOException {
        byte[] data = new byte[NativeCompression.MAX_BLOCK * 2 + 12345];
        Random random = new Random(1);
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 7 == 0 ? random.nextInt() : 'a' + i % 3);
        }
        byte[] lz4 = NativeCompression.compress(data);
        assertThat(lz4.length).isLessThan(data.length);
        assertThat(lz4[16] & 0xff).isEqualTo(NativeCompression.METHOD_LZ4);
        assertThat(decode(lz4)).isEqualTo(data);
        byte[] none = NativeCompression.compress(data, NativeCompression.METHOD_NONE);
        assertThat(none[16] & 0xff).isEqualTo(NativeCompression.METHOD_NONE);
        assertThat(decode(none)).isEqualTo(data);
        assertThat(NativeCompression.compress(new byte[0])).isEmpty();
        assertThat(decode(new byte[0])).isEmpty();
    }

    @Test
    void aCorruptedBlockFailsTheChecksum() {
        byte[] block = NativeCompression.compress("hello hello hello".getBytes());
        block[block.length - 1] ^= 1;
        assertThatThrownBy(() -> decode(block)).isInstanceOf(NativeCompression.CodecException.class)
                .hasMessageContaining("CHECKSUM_DOESNT_MATCH");
    }
}
