package com.mexcpipe.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.mexcpipe.common.cli.ExitCodes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DecodeCommandTest {
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_790_000_000_123L), ZoneOffset.UTC);

    String run(byte[] stdin) throws Exception {
        StringWriter out = new StringWriter();
        int code = new DecodeCommand(new ByteArrayInputStream(stdin), out, CLOCK).run();
        assertThat(code).isEqualTo(ExitCodes.OK);
        return out.toString();
    }

    @Test
    void oneRowPerLineAsTabSeparatedWithEscapes() throws Exception {
        String in = "{\"channel\":\"push.deal\",\"data\":[{\"p\":1,\"v\":2,\"T\":1,\"t\":1759321623301},"
                + "{\"p\":3,\"v\":4,\"T\":2,\"t\":1759321623302}],\"ts\":1759321623305}\r\n"
                + "{\"channel\":\"pong\",\"data\":1}\n"
                + "\n"
                + "{\"channel\":\"rs.error\",\"data\":\"it's\\tbad\",\"ts\":1587442022003}\n"
                + "{\"channel\":\"push.deal\",\"da\t\n"
                + "{\"channel\":\"push.ticker\",\"data\":{\"lastPrice\":1,\"fairPrice\":2,\"indexPrice\":3,"
                + "\"fundingRate\":0,\"holdVol\":4,\"timestamp\":1759321623081}}"; // last line without newline
        assertThat(run(in.getBytes(StandardCharsets.UTF_8))).isEqualTo(
                "1759321623301\td\t1|2|1\n"
                + "1759321623302\td\t3|4|2\n"
                + "1790000000123\tdl\t\n"
                + "1587442022003\tdl\t{\"channel\":\"rs.error\",\"data\":\"it\\'s\\\\tbad\",\"ts\":1587442022003}\n"
                + "1790000000123\tdl\t{\"channel\":\"push.deal\",\"da\\t\n"
                + "1759321623081\tt\t1|2|3|0.00000000|4\n");
    }

    @Test
    void aLineThatIsNotUtf8IsKeptInBase64() throws Exception {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.write(new byte[] {'{', (byte) 0xc3, (byte) 0x28, '}', '\n'});
        assertThat(run(in.toByteArray())).isEqualTo("1790000000123\tdl\te8MofQ==\n");
    }
}
