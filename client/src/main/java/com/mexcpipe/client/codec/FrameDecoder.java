package com.mexcpipe.client.codec;

import com.mexcpipe.common.RowType;
import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * MEXC futures frames to rows, exactly as DESIGN §3 says. Pure: no I/O, no clock (the receive time is passed in).
 *
 * <p>One instance per thread (it reuses its buffers). A frame yields rows only when the whole frame is valid JSON
 * and every field a row needs is present and numeric; otherwise it yields one {@code dl} row holding the complete
 * raw text, so nothing is half-stored and nothing is lost.
 */
public final class FrameDecoder {
    /** Depth levels kept per side (we subscribe with limit 20). */
    public static final int MAX_LEVELS = 20;
    /** A gzip frame inflating beyond this is treated as undecodable (kept as base64), not inflated further. */
    static final int MAX_INFLATED_BYTES = 64 << 20;

    private enum Channel { TICKER, DEAL, DEPTH, PONG, SUB_ACK, ERROR, OTHER }

    private final JsonCursor c = new JsonCursor();
    private final TickerData ticker = new TickerData(c);
    private final DealData deals = new DealData(c);
    private final DepthData depth;
    private String ackMethod;
    private String errorText;
    private RuntimeException internalError;
    private boolean emitted; // a row of this frame reached the sink (rows go out only after the whole frame parsed)

    public FrameDecoder() {
        this(true);
    }

    /** {@code fastPaths = false}: only the general path (tests compare the two). */
    FrameDecoder(boolean fastPaths) {
        this.depth = new DepthData(c, fastPaths);
    }

    /** After an ACK: the acknowledged method, e.g. {@code sub.deal}. */
    public String ackMethod() {
        return ackMethod;
    }

    /** After an ERROR: the exchange's error text ({@code data}), or the raw frame if it had none. */
    public String errorText() {
        return errorText;
    }

    /** Decodes a binary frame: gzip-compressed JSON; anything undecodable becomes a {@code dl} row in base64. */
    public FrameKind decodeBinary(ByteBuffer frame, long receivedAt, RowSink sink) {
        byte[] bytes = new byte[frame.remaining()];
        frame.duplicate().get(bytes);
        return decodeBinary(bytes, receivedAt, sink);
    }

    public FrameKind decodeBinary(byte[] bytes, long receivedAt, RowSink sink) {
        String text = GzipText.inflateUtf8(bytes, MAX_INFLATED_BYTES);
        if (text == null) {
            row(sink, receivedAt, RowType.RAW, Base64.getEncoder().encodeToString(bytes));
            return FrameKind.RAW;
        }
        return decodeText(text, receivedAt, sink);
    }

    /**
     * After a frame that hit a bug in this decoder (an exception other than the grammar's): that exception, else
     * null. The frame itself was kept as a {@code dl} row, so the bug costs no data.
     */
    public RuntimeException internalError() {
        return internalError;
    }

    /** Decodes one text frame. {@code receivedAt} (epoch ms) is used only when the frame carries no usable time. */
    public FrameKind decodeText(String frame, long receivedAt, RowSink sink) {
        internalError = null;
        emitted = false;
        try {
            return decode(frame, receivedAt, sink);
        } catch (RuntimeException e) {
            if (emitted) {
                throw e; // the sink's own failure, not the decoder's: not ours to hide
            }
            internalError = e;
            return raw(frame, receivedAt, sink, FrameKind.RAW);
        }
    }

    private FrameKind decode(String frame, long receivedAt, RowSink sink) {
        ackMethod = null;
        errorText = null;
        c.reset(frame);
        Channel channel = null;
        Channel typedAs = null;
        boolean hasData = false;
        boolean typed = false;       // data parsed into rows already
        boolean typedFailed = false; // data present but not valid for its channel
        boolean dataIsSuccess = false;
        int dataStart = -1;
        long frameTs = EventTime.NONE;
        boolean seenTs = false;
        try {
            c.expect('{');
            if (!c.consume('}')) {
                do {
                    c.readString();
                    int key = envelopeKey();
                    c.expect(':');
                    switch (key) {
                        case K_CHANNEL -> {
                            if (channel != null) {
                                throw Malformed.INSTANCE;
                            }
                            c.readString();
                            channel = classifyChannel();
                        }
                        case K_DATA -> {
                            if (hasData) {
                                throw Malformed.INSTANCE;
                            }
                            hasData = true;
                            dataStart = c.pos();
                            // live frames put "data" before "channel": guess the channel from the frame's tail so the
                            // data is parsed once; the guess counts only if the real channel (checked below) agrees
                            Channel as = channel != null ? channel : hintChannel(frame);
                            if (as == Channel.TICKER || as == Channel.DEAL || as == Channel.DEPTH) {
                                typed = true;
                                typedAs = as;
                                typedFailed = !parseTyped(as, dataStart);
                            } else if (c.atString()) {
                                c.readString();
                                dataIsSuccess = c.stringIs("success");
                            } else {
                                c.skipValue();
                            }
                        }
                        case K_TS -> {
                            if (seenTs) {
                                throw Malformed.INSTANCE;
                            }
                            seenTs = true;
                            if (c.atNumber()) {
                                c.readNumber();
                                frameTs = EventTime.ofNumber(c);
                            } else {
                                c.skipValue();
                            }
                        }
                        default -> c.skipValue();
                    }
                } while (c.more('}'));
            }
            c.expectEnd();
        } catch (Malformed e) {
            return raw(frame, receivedAt, sink, FrameKind.RAW);
        }
        long fallbackTs = EventTime.orElse(frameTs, receivedAt);
        if (channel == null) {
            return raw(frame, fallbackTs, sink, FrameKind.RAW);
        }
        switch (channel) {
            case PONG:
                return FrameKind.PONG;
            case SUB_ACK:
                if (dataIsSuccess) {
                    return FrameKind.ACK;
                }
                return raw(frame, fallbackTs, sink, FrameKind.RAW);
            case ERROR:
                errorText = errorData(frame, dataStart);
                return raw(frame, fallbackTs, sink, FrameKind.ERROR);
            case OTHER:
                return raw(frame, fallbackTs, sink, FrameKind.RAW);
            default:
                break;
        }
        if (!hasData) {
            return raw(frame, fallbackTs, sink, FrameKind.RAW);
        }
        if (!typed || typedAs != channel) {
            // channel came after data and the guess was wrong (or absent): parse the data span now
            int end = c.pos();
            typedFailed = !parseTyped(channel, dataStart);
            c.pos(end);
        }
        if (typedFailed) {
            return raw(frame, fallbackTs, sink, FrameKind.RAW);
        }
        return emit(channel, fallbackTs, sink);
    }

    private FrameKind emit(Channel channel, long fallbackTs, RowSink sink) {
        switch (channel) {
            case TICKER:
                row(sink, EventTime.orElse(ticker.eventTs(), fallbackTs), RowType.TICKER, ticker.m());
                return FrameKind.TICKER;
            case DEPTH:
                row(sink, EventTime.orElse(depth.eventTs(), fallbackTs), RowType.DEPTH, depth.m());
                return FrameKind.DEPTH;
            case DEAL:
                for (int i = 0, n = deals.count(); i < n; i++) {
                    row(sink, EventTime.orElse(deals.eventTs(i), fallbackTs), RowType.DEAL, deals.take(i));
                }
                return FrameKind.DEAL;
            default:
                throw new IllegalStateException(channel.name());
        }
    }

    private FrameKind raw(String frame, long ts, RowSink sink, FrameKind kind) {
        row(sink, ts, RowType.RAW, frame);
        return kind;
    }

    private void row(RowSink sink, long ts, RowType mt, String m) {
        emitted = true;
        sink.row(ts, mt, m);
    }

    /** Parses the data value at {@code start} for a push channel; false if it is not valid for that channel. */
    private boolean parseTyped(Channel channel, int start) {
        c.pos(start);
        try {
            switch (channel) {
                case TICKER -> ticker.parse();
                case DEAL -> deals.parse();
                case DEPTH -> depth.parse();
                default -> throw new IllegalStateException(channel.name());
            }
            return true;
        } catch (Malformed e) {
            // not valid for the channel: re-scan the value only to validate the JSON and find the frame's end
            c.pos(start);
            c.skipValue();
            return false;
        }
    }

    private static final int K_OTHER = 0;
    private static final int K_CHANNEL = 1;
    private static final int K_DATA = 2;
    private static final int K_TS = 3;

    private int envelopeKey() {
        if (c.strEscaped) {
            String k = c.decodedString();
            return switch (k) {
                case "channel" -> K_CHANNEL;
                case "data" -> K_DATA;
                case "ts" -> K_TS;
                default -> K_OTHER;
            };
        }
        int st = c.strStart;
        int en = c.strEnd;
        switch (en - st) {
            case 7:
                return c.spanIs(st, en, "channel") ? K_CHANNEL : K_OTHER;
            case 4:
                return c.spanIs(st, en, "data") ? K_DATA : K_OTHER;
            case 2:
                return c.spanIs(st, en, "ts") ? K_TS : K_OTHER;
            default:
                return K_OTHER;
        }
    }

    private static final String CHANNEL_PREFIX = "\"channel\":\"push.";

    /**
     * A guess of the push channel from the compact form {@code "channel":"push.…"}; null if not found. Live frames
     * carry the channel near the end, where a backward search finds it at once.
     */
    private static Channel hintChannel(String frame) {
        int at = frame.lastIndexOf(CHANNEL_PREFIX);
        if (at < 0) {
            return null;
        }
        int from = at + CHANNEL_PREFIX.length();
        if (frame.startsWith("depth.full\"", from)) {
            return Channel.DEPTH;
        }
        if (frame.startsWith("deal\"", from)) {
            return Channel.DEAL;
        }
        if (frame.startsWith("ticker\"", from)) {
            return Channel.TICKER;
        }
        return null;
    }

    private Channel classifyChannel() {
        if (c.stringIs("push.depth.full")) {
            return Channel.DEPTH;
        }
        if (c.stringIs("push.deal")) {
            return Channel.DEAL;
        }
        if (c.stringIs("push.ticker")) {
            return Channel.TICKER;
        }
        if (c.stringIs("pong")) {
            return Channel.PONG;
        }
        if (c.stringIs("rs.error")) {
            return Channel.ERROR;
        }
        String name = c.decodedString();
        if (name.startsWith("rs.sub.") && name.length() > "rs.sub.".length()) {
            ackMethod = name.substring(3);
            return Channel.SUB_ACK;
        }
        return Channel.OTHER;
    }

    /** The {@code data} text of an rs.error frame (re-read from its span), or the whole frame. */
    private String errorData(String frame, int dataStart) {
        if (dataStart < 0) {
            return frame;
        }
        c.reset(frame);
        c.pos(dataStart);
        if (c.atString()) {
            c.readString();
            return c.decodedString();
        }
        return frame;
    }
}
