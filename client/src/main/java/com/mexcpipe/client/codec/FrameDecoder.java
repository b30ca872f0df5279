package com.mexcpipe.client.codec;

import com.mexcpipe.common.RowType;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Arrays;
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
    /** Event times outside [2000-01-01, 2100-01-01) are not plausible exchange times. */
    static final long MIN_TS = 946_684_800_000L;
    static final long MAX_TS = 4_102_444_800_000L;
    /** A gzip frame inflating beyond this is treated as undecodable (kept as base64), not inflated further. */
    static final int MAX_INFLATED_BYTES = 64 << 20;

    private static final long NO_TS = Long.MIN_VALUE;

    private enum Channel { TICKER, DEAL, DEPTH, PONG, SUB_ACK, ERROR, OTHER }

    private final JsonCursor c = new JsonCursor();
    private final DepthSides sides;
    private final CharOut tickerM = new CharOut(128);
    private final CharOut bids = new CharOut(1024);
    private final CharOut asks = new CharOut(1024);
    private final CharOut depthM = new CharOut(2048);
    private final CharOut dealM = new CharOut(64);
    private long[] dealTs = new long[16];
    private String[] dealText = new String[16];
    private int deals;
    private long eventTs;
    private String ackMethod;
    private String errorText;
    private RuntimeException internalError;
    private boolean emitted; // a row of this frame reached the sink (rows go out only after the whole frame parsed)

    public FrameDecoder() {
        this(true);
    }

    /** {@code fastPaths = false}: only the general path (tests compare the two). */
    FrameDecoder(boolean fastPaths) {
        this.sides = new DepthSides(c, fastPaths);
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
        long frameTs = NO_TS;
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
                                frameTs = timestampOrInvalid();
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
        long fallbackTs = frameTs != NO_TS ? frameTs : receivedAt;
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
                row(sink, eventTs != NO_TS ? eventTs : fallbackTs, RowType.TICKER, tickerM.toString());
                return FrameKind.TICKER;
            case DEPTH:
                depthM.clear();
                depthM.append(bids);
                depthM.append('|');
                depthM.append(asks);
                row(sink, eventTs != NO_TS ? eventTs : fallbackTs, RowType.DEPTH, depthM.toString());
                return FrameKind.DEPTH;
            case DEAL:
                for (int i = 0; i < deals; i++) {
                    row(sink, dealTs[i] != NO_TS ? dealTs[i] : fallbackTs, RowType.DEAL, dealText[i]);
                    dealText[i] = null;
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
                case TICKER -> parseTicker();
                case DEAL -> parseDeals();
                case DEPTH -> parseDepth();
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

    // ---- push.ticker: lastPrice|fairPrice|indexPrice|fundingRate|holdVol, ts = data.timestamp

    private static final String[] TICKER_FIELDS = {"lastPrice", "fairPrice", "indexPrice", "fundingRate", "holdVol"};
    private final int[] tickerStart = new int[5];
    private final int[] tickerEnd = new int[5];
    private final boolean[] tickerPlain = new boolean[5];

    private void parseTicker() {
        eventTs = NO_TS;
        boolean seenTimestamp = false;
        int seen = 0;
        c.expect('{');
        if (!c.consume('}')) {
            do {
                c.readString();
                int f = tickerField();
                c.expect(':');
                if (f >= 0) {
                    if ((seen & (1 << f)) != 0) {
                        throw Malformed.INSTANCE;
                    }
                    seen |= 1 << f;
                    c.readNumber();
                    tickerStart[f] = c.numStart;
                    tickerEnd[f] = c.numEnd;
                    tickerPlain[f] = c.numNeedsPlain;
                } else if (f == T_TIMESTAMP) {
                    if (seenTimestamp) {
                        throw Malformed.INSTANCE;
                    }
                    seenTimestamp = true;
                    eventTs = readTimestamp();
                } else {
                    c.skipValue();
                }
            } while (c.more('}'));
        }
        if (seen != 0b11111) {
            throw Malformed.INSTANCE;
        }
        CharOut b = tickerM;
        b.clear();
        for (int f = 0; f < 5; f++) {
            if (f > 0) {
                b.append('|');
            }
            int at = b.n;
            c.appendNumber(b, tickerStart[f], tickerEnd[f], tickerPlain[f]);
            if (f == 3) {
                padFundingRate(b, at);
            }
        }
    }

    private static final int T_TIMESTAMP = -2;

    private int tickerField() {
        int n = c.strEnd - c.strStart;
        if (c.strEscaped) {
            String k = c.decodedString();
            for (int i = 0; i < TICKER_FIELDS.length; i++) {
                if (TICKER_FIELDS[i].equals(k)) {
                    return i;
                }
            }
            return "timestamp".equals(k) ? T_TIMESTAMP : -1;
        }
        int st = c.strStart;
        int en = c.strEnd;
        switch (n) {
            case 7:
                return c.spanIs(st, en, "holdVol") ? 4 : -1;
            case 9:
                if (c.spanIs(st, en, "lastPrice")) {
                    return 0;
                }
                if (c.spanIs(st, en, "fairPrice")) {
                    return 1;
                }
                return c.spanIs(st, en, "timestamp") ? T_TIMESTAMP : -1;
            case 10:
                return c.spanIs(st, en, "indexPrice") ? 2 : -1;
            case 11:
                return c.spanIs(st, en, "fundingRate") ? 3 : -1;
            default:
                return -1;
        }
    }

    /** fundingRate is padded with zeros to at least 8 decimals, never rounded. */
    static void padFundingRate(CharOut b, int from) {
        int dot = b.indexOf('.', from);
        int decimals;
        if (dot < 0) {
            b.append('.');
            decimals = 0;
        } else {
            decimals = b.n - dot - 1;
        }
        for (int i = decimals; i < 8; i++) {
            b.append('0');
        }
    }

    // ---- push.deal: price|volume|direction per deal, ts = deal.t; data is an object or an array of them

    private void parseDeals() {
        deals = 0;
        if (c.peek() == '[') {
            c.expect('[');
            if (c.consume(']')) {
                throw Malformed.INSTANCE; // an empty deal push holds no event: keep it raw rather than drop it
            }
            do {
                parseDeal();
            } while (c.more(']'));
        } else {
            parseDeal();
        }
    }

    private void parseDeal() {
        int pS = -1, pE = 0, vS = -1, vE = 0;
        boolean pPlain = false, vPlain = false;
        int direction = 0;
        long ts = NO_TS;
        boolean seenT = false;
        c.expect('{');
        if (!c.consume('}')) {
            do {
                c.readString();
                char k = singleCharKey();
                c.expect(':');
                switch (k) {
                    case 'p' -> {
                        if (pS >= 0) {
                            throw Malformed.INSTANCE;
                        }
                        c.readNumber();
                        pS = c.numStart;
                        pE = c.numEnd;
                        pPlain = c.numNeedsPlain;
                    }
                    case 'v' -> {
                        if (vS >= 0) {
                            throw Malformed.INSTANCE;
                        }
                        c.readNumber();
                        vS = c.numStart;
                        vE = c.numEnd;
                        vPlain = c.numNeedsPlain;
                    }
                    case 'T' -> {
                        if (direction != 0) {
                            throw Malformed.INSTANCE;
                        }
                        c.readNumber();
                        direction = direction();
                    }
                    case 't' -> {
                        if (seenT) {
                            throw Malformed.INSTANCE;
                        }
                        seenT = true;
                        ts = readTimestamp();
                    }
                    default -> c.skipValue();
                }
            } while (c.more('}'));
        }
        if (pS < 0 || vS < 0 || direction == 0) {
            throw Malformed.INSTANCE;
        }
        CharOut b = dealM;
        b.clear();
        c.appendNumber(b, pS, pE, pPlain);
        b.append('|');
        c.appendNumber(b, vS, vE, vPlain);
        b.append('|');
        b.append((char) ('0' + direction));
        if (deals == dealTs.length) {
            dealTs = Arrays.copyOf(dealTs, deals * 2);
            dealText = Arrays.copyOf(dealText, deals * 2);
        }
        dealTs[deals] = ts;
        dealText[deals] = b.toString();
        deals++;
    }

    /** The key of a deal field if it is one character long, else 0. */
    private char singleCharKey() {
        if (c.strEscaped) {
            String k = c.decodedString();
            return k.length() == 1 ? k.charAt(0) : 0;
        }
        return c.strEnd - c.strStart == 1 ? (char) c.buf[c.strStart] : 0;
    }

    /** MEXC's T: 1 = buy, 2 = sell; anything else is malformed. */
    private int direction() {
        if (!c.numNeedsPlain && !c.numHasFraction && c.numEnd - c.numStart == 1) {
            char d = (char) c.buf[c.numStart];
            if (d == '1' || d == '2') {
                return d - '0';
            }
            throw Malformed.INSTANCE;
        }
        BigDecimal v = c.decimal();
        if (v.compareTo(BigDecimal.ONE) == 0) {
            return 1;
        }
        if (v.compareTo(BigDecimal.valueOf(2)) == 0) {
            return 2;
        }
        throw Malformed.INSTANCE;
    }

    // ---- push.depth.full: bids|asks, each [price,volume],… best first, ≤ 20 levels, ts = data.cts

    private void parseDepth() {
        eventTs = NO_TS;
        boolean seenBids = false, seenAsks = false, seenCts = false;
        c.expect('{');
        if (!c.consume('}')) {
            do {
                c.readString();
                int k = depthKey();
                c.expect(':');
                switch (k) {
                    case 1 -> {
                        if (seenBids) {
                            throw Malformed.INSTANCE;
                        }
                        seenBids = true;
                        sides.parse(bids);
                    }
                    case 2 -> {
                        if (seenAsks) {
                            throw Malformed.INSTANCE;
                        }
                        seenAsks = true;
                        sides.parse(asks);
                    }
                    case 3 -> {
                        if (seenCts) {
                            throw Malformed.INSTANCE;
                        }
                        seenCts = true;
                        eventTs = readTimestamp();
                    }
                    default -> c.skipValue();
                }
            } while (c.more('}'));
        }
        if (!seenBids || !seenAsks) {
            throw Malformed.INSTANCE;
        }
    }

    /** 1 = bids, 2 = asks, 3 = cts, 0 = other. */
    private int depthKey() {
        if (c.strEscaped) {
            String k = c.decodedString();
            return "bids".equals(k) ? 1 : "asks".equals(k) ? 2 : "cts".equals(k) ? 3 : 0;
        }
        int st = c.strStart;
        int en = c.strEnd;
        if (c.spanIs(st, en, "bids")) {
            return 1;
        }
        if (c.spanIs(st, en, "asks")) {
            return 2;
        }
        return c.spanIs(st, en, "cts") ? 3 : 0;
    }

    // ---- shared pieces

    /** Reads an event-time field: it must be a number holding a whole, plausible epoch-millisecond value. */
    private long readTimestamp() {
        c.readNumber();
        long ts = timestampOrInvalid();
        if (ts == NO_TS) {
            throw Malformed.INSTANCE;
        }
        return ts;
    }

    /** The number just read as epoch ms, or NO_TS if it is not a whole number in the plausible range. */
    private long timestampOrInvalid() {
        long v;
        if (!c.numHasFraction && c.numEnd - c.numStart <= 18) {
            byte[] b = c.buf;
            int i = c.numStart;
            boolean neg = b[i] == '-';
            if (neg) {
                i++;
            }
            v = 0;
            for (; i < c.numEnd; i++) {
                v = v * 10 + (b[i] - '0');
            }
            if (neg) {
                v = -v;
            }
        } else {
            try {
                v = c.decimal().longValueExact();
            } catch (ArithmeticException | Malformed e) {
                return NO_TS;
            }
        }
        return v >= MIN_TS && v < MAX_TS ? v : NO_TS;
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
