package com.mexcpipe.client.cli;

import com.mexcpipe.client.codec.FrameDecoder;
import com.mexcpipe.client.codec.TabSeparated;
import com.mexcpipe.common.RowType;
import com.mexcpipe.common.cli.Command;
import com.mexcpipe.common.cli.ExitCodes;
import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import picocli.CommandLine;

/**
 * {@code client.jar decode}: frames on stdin, one per line, to rows on stdout as ClickHouse TabSeparated
 * ({@code ts_ms, mt, m}). Never fails on bad input: a line that is not a valid frame becomes a {@code dl} row (a
 * line that is not UTF-8 is kept in base64).
 */
@CommandLine.Command(name = "decode", mixinStandardHelpOptions = true,
        description = {"Decode MEXC frames (one per line on stdin) into rows (TabSeparated on stdout: ts_ms, mt, m).",
            "Rows without an exchange time get the current time."})
public final class DecodeCommand extends Command {
    private final InputStream in;
    private final Writer out;
    private final Clock clock;

    public DecodeCommand() {
        this(System.in, new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16),
                Clock.systemUTC());
    }

    public DecodeCommand(InputStream in, Writer out, Clock clock) {
        this.in = in;
        this.out = out;
        this.clock = clock;
    }

    @Override
    protected int run() throws IOException {
        FrameDecoder decoder = new FrameDecoder();
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        InputStream input = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 1 << 16);
        ByteArrayOutputStream line = new ByteArrayOutputStream(4096);
        try {
            int b;
            boolean pending = false;
            while ((b = input.read()) >= 0) {
                if (b == '\n') {
                    decodeLine(line, decoder, utf8);
                    pending = false;
                    if (input.available() == 0) {
                        out.flush(); // interactive use: answer each line as it comes
                    }
                } else {
                    line.write(b);
                    pending = true;
                }
            }
            if (pending) {
                decodeLine(line, decoder, utf8);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        out.flush();
        return ExitCodes.OK;
    }

    private void decodeLine(ByteArrayOutputStream line, FrameDecoder decoder, CharsetDecoder utf8) {
        byte[] bytes = line.toByteArray();
        line.reset();
        int len = bytes.length;
        if (len > 0 && bytes[len - 1] == '\r') {
            len--; // CRLF files
        }
        long now = clock.millis();
        String text;
        try {
            text = utf8.decode(ByteBuffer.wrap(bytes, 0, len)).toString();
        } catch (CharacterCodingException e) {
            write(now, RowType.RAW, Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(bytes, len)));
            return;
        }
        decoder.decodeText(text, now, this::write);
    }

    private void write(long ts, RowType mt, String m) {
        try {
            TabSeparated.writeRow(out, ts, mt, m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
