package com.mexcpipe.client.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.mexcpipe.common.Row;
import com.mexcpipe.common.RowType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FrameDecoderTest {
    static final long RECV = 1_790_000_000_123L;

    final FrameDecoder decoder = new FrameDecoder();
    final List<Row> rows = new ArrayList<>();
    FrameKind kind;

    List<Row> decode(String frame) {
        rows.clear();
        kind = decoder.decodeText(frame, RECV, (ts, mt, m) -> rows.add(new Row(ts, mt, m)));
        return rows;
    }

    static String fixture(String name) throws IOException {
        try (InputStream in = FrameDecoderTest.class.getResourceAsStream("/frames/" + name)) {
            String s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
        }
    }

    /** The single dl row a bad frame must produce: the complete raw text, untouched. */
    void assertRaw(String frame, long ts) {
        assertThat(decode(frame)).containsExactly(new Row(ts, RowType.RAW, frame));
    }

    @Nested
    class Ticker {
        @Test
        void documentationExample() throws IOException {
            assertThat(decode(fixture("ticker-doc.json")))
                    .containsExactly(new Row(1587442022003L, RowType.TICKER, "6865.5|6867.4|6861.6|0.00080000|2284742"));
            assertThat(kind).isEqualTo(FrameKind.TICKER);
        }

        @Test
        void liveShapeSymbolFirstWithExtraFields() throws IOException {
            assertThat(decode(fixture("ticker-live.json")))
                    .containsExactly(new Row(1759321623081L, RowType.TICKER,
                            "122122.3|122122.3|122133.7|0.00010000|102648627"));
        }

        @ParameterizedTest
        @CsvSource({
            "0, 0.00000000",
            "0.0001, 0.00010000",
            "-0.000125, -0.00012500",
            "0.000012345678, 0.000012345678",
            "0.00000001, 0.00000001",
            "1.0E-4, 0.00010000",
            "2.5e-5, 0.00002500",
            "-0, 0.00000000",
            "3, 3.00000000"
        })
        void fundingRateIsPaddedToEightDecimalsNeverRounded(String sent, String stored) {
            String frame = "{\"channel\":\"push.ticker\",\"data\":{\"lastPrice\":1,\"fairPrice\":2,\"indexPrice\":3,"
                    + "\"fundingRate\":" + sent + ",\"holdVol\":4,\"timestamp\":1759321623081},\"ts\":1759321623082}";
            assertThat(decode(frame)).containsExactly(
                    new Row(1759321623081L, RowType.TICKER, "1|2|3|" + stored + "|4"));
        }

        @Test
        void missingTimestampFallsBackToFrameTsThenReceiveTime() {
            String body = "{\"lastPrice\":1.5,\"fairPrice\":2.50,\"indexPrice\":3e2,\"fundingRate\":0.01,\"holdVol\":7}";
            assertThat(decode("{\"channel\":\"push.ticker\",\"data\":" + body + ",\"ts\":1759321623082}"))
                    .containsExactly(new Row(1759321623082L, RowType.TICKER, "1.5|2.50|300|0.01000000|7"));
            assertThat(decode("{\"channel\":\"push.ticker\",\"data\":" + body + "}"))
                    .containsExactly(new Row(RECV, RowType.TICKER, "1.5|2.50|300|0.01000000|7"));
            assertThat(decode("{\"channel\":\"push.ticker\",\"data\":" + body + ",\"ts\":\"1759321623082\"}"))
                    .as("a ts that is not a number is not a time")
                    .containsExactly(new Row(RECV, RowType.TICKER, "1.5|2.50|300|0.01000000|7"));
        }

        @ParameterizedTest
        @ValueSource(strings = {
            // a field missing
            "{\"channel\":\"push.ticker\",\"data\":{\"lastPrice\":1,\"fairPrice\":2,\"indexPrice\":3,\"fundingRate\":0},\"ts\":1759321623082}",
            // a field not a number
            "{\"channel\":\"push.ticker\",\"data\":{\"lastPrice\":\"1\",\"fairPrice\":2,\"indexPrice\":3,\"fundingRate\":0,\"holdVol\":4},\"ts\":1759321623082}",
            "{\"channel\":\"push.ticker\",\"data\":{\"lastPrice\":1,\"fairPrice\":null,\"indexPrice\":3,\"fundingRate\":0,\"holdVol\":4},\"ts\":1759321623082}",
            // event time not a plausible whole number
            "{\"channel\":\"push.ticker\",\"data\":{\"lastPrice\":1,\"fairPrice\":2,\"indexPrice\":3,\"fundingRate\":0,\"holdVol\":4,\"timestamp\":\"x\"},\"ts\":1759321623082}",
            "{\"channel\":\"push.ticker\",\"data\":{\"lastPrice\":1,\"fairPrice\":2,\"indexPrice\":3,\"fundingRate\":0,\"holdVol\":4,\"timestamp\":1759321623081.5},\"ts\":1759321623082}",
            "{\"channel\":\"push.ticker\",\"data\":{\"lastPrice\":1,\"fairPrice\":2,\"indexPrice\":3,\"fundingRate\":0,\"holdVol\":4,\"timestamp\":42},\"ts\":1759321623082}",
            // duplicate field: ambiguous
            "{\"channel\":\"push.ticker\",\"data\":{\"lastPrice\":1,\"lastPrice\":9,\"fairPrice\":2,\"indexPrice\":3,\"fundingRate\":0,\"holdVol\":4},\"ts\":1759321623082}",
            // data not an object
            "{\"channel\":\"push.ticker\",\"data\":[1,2,3],\"ts\":1759321623082}",
            "{\"channel\":\"push.ticker\",\"ts\":1759321623082}"
        })
        void anyBadFieldKeepsTheWholeFrameAsDlWithTheFrameTs(String frame) {
            assertRaw(frame, 1759321623082L);
            assertThat(kind).isEqualTo(FrameKind.RAW);
        }
    }

    @Nested
    class Deal {
        @Test
        void documentationExampleObjectForm() throws IOException {
            assertThat(decode(fixture("deal-doc.json")))
                    .containsExactly(new Row(1587442049632L, RowType.DEAL, "6866.5|2096|1"));
            assertThat(kind).isEqualTo(FrameKind.DEAL);
        }

        @Test
        void liveArrayFormOneRowPerDealInArrayOrderEachWithItsOwnTime() throws IOException {
            assertThat(decode(fixture("deal-live-array.json"))).containsExactly(
                    new Row(1759321623301L, RowType.DEAL, "122115.1|12|1"),
                    new Row(1759321623299L, RowType.DEAL, "122115|3|2"),
                    new Row(1759321623302L, RowType.DEAL, "122115.10|540|2"));
        }

        @Test
        void dealWithoutTimeTakesTheFrameTs() {
            assertThat(decode("{\"channel\":\"push.deal\",\"data\":[{\"p\":80489,\"v\":1.50,\"T\":2}],\"ts\":1759321623305}"))
                    .containsExactly(new Row(1759321623305L, RowType.DEAL, "80489|1.50|2"));
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "{\"channel\":\"push.deal\",\"data\":[],\"ts\":1759321623305}",
            "{\"channel\":\"push.deal\",\"data\":{\"p\":1,\"v\":2,\"T\":3,\"t\":1759321623301},\"ts\":1759321623305}",
            "{\"channel\":\"push.deal\",\"data\":{\"p\":1,\"v\":2,\"T\":0,\"t\":1759321623301},\"ts\":1759321623305}",
            "{\"channel\":\"push.deal\",\"data\":{\"p\":1,\"v\":2,\"T\":\"1\",\"t\":1759321623301},\"ts\":1759321623305}",
            "{\"channel\":\"push.deal\",\"data\":{\"p\":1,\"T\":1,\"t\":1759321623301},\"ts\":1759321623305}",
            "{\"channel\":\"push.deal\",\"data\":{\"v\":1,\"T\":1,\"t\":1759321623301},\"ts\":1759321623305}",
            "{\"channel\":\"push.deal\",\"data\":{\"p\":1,\"v\":1,\"t\":1759321623301},\"ts\":1759321623305}",
            "{\"channel\":\"push.deal\",\"data\":{\"p\":1,\"v\":1,\"T\":1,\"t\":\"1759321623301\"},\"ts\":1759321623305}",
            // one bad item spoils the frame: nothing is half-stored
            "{\"channel\":\"push.deal\",\"data\":[{\"p\":1,\"v\":2,\"T\":1,\"t\":1759321623301},{\"p\":\"x\",\"v\":2,\"T\":1}],\"ts\":1759321623305}",
            "{\"channel\":\"push.deal\",\"data\":[{\"p\":1,\"v\":2,\"T\":1},7],\"ts\":1759321623305}",
            "{\"channel\":\"push.deal\",\"data\":\"nope\",\"ts\":1759321623305}"
        })
        void malformedDealsAreOneDlRow(String frame) {
            assertRaw(frame, 1759321623305L);
        }

        @Test
        void directionMayBeWrittenAsAnyNumberEqualToOneOrTwo() {
            assertThat(decode("{\"channel\":\"push.deal\",\"data\":{\"p\":1,\"v\":2,\"T\":2.0,\"t\":1759321623301}}"))
                    .containsExactly(new Row(1759321623301L, RowType.DEAL, "1|2|2"));
        }
    }

    @Nested
    class Depth {
        @Test
        void documentationExampleEmptyBidsAndNoCtsUsesFrameTs() throws IOException {
            assertThat(decode(fixture("depth-doc.json")))
                    .containsExactly(new Row(1587442022003L, RowType.DEPTH, "|[6859.5,3251]"));
            assertThat(kind).isEqualTo(FrameKind.DEPTH);
        }

        @Test
        void live20LevelsBidsFirstBestFirstOrderCountDroppedCtsIsTheTime() throws IOException {
            assertThat(decode(fixture("depth-live-20.json"))).containsExactly(new Row(1759321623290L, RowType.DEPTH,
                    "[122125.8,103673],[122125.7,103576],[122125.6,103479],[122125.5,103382],[122125.4,103285],"
                    + "[122125.3,103188],[122125.2,103091],[122125.1,102994],[122125,102897],[122124.9,102800],"
                    + "[122124.8,102703],[122124.7,102606],[122124.6,102509],[122124.5,102412],[122124.4,102315],"
                    + "[122124.3,102218],[122124.2,102121],[122124.1,102024],[122124,101927],[122123.9,101830]|"
                    + "[122125.9,110108],[122126,110139],[122126.1,110170],[122126.2,110201],[122126.3,110232],"
                    + "[122126.4,110263],[122126.5,110294],[122126.6,110325],[122126.7,110356],[122126.8,110387],"
                    + "[122126.9,110418],[122127,110449],[122127.1,110480],[122127.2,110511],[122127.3,110542],"
                    + "[122127.4,110573],[122127.5,110604],[122127.6,110635],[122127.7,110666],[122127.8,110697]"));
        }

        @Test
        void exponentAndTrailingZerosAreKeptExactAsPlainDecimals() {
            assertThat(decode("{\"channel\":\"push.depth.full\",\"data\":{\"bids\":[[7.548E+4,0.0270,3],[75479.90,1E2]],"
                    + "\"asks\":[[7.5481e4,-0.0,1],[1.0E-7,12345678901234567890.123456789]],\"cts\":1759321623290}}"))
                    .containsExactly(new Row(1759321623290L, RowType.DEPTH,
                            "[75480,0.0270],[75479.90,100]|[75481,0.0],[0.00000010,12345678901234567890.123456789]"));
        }

        @Test
        void anUnusualLevelAfterCompactOnesIsStillExact() {
            // the compact fast path stops at the 3rd bid (whitespace), 4th ask (exponent), 2nd ask (-0.0): the
            // general path re-reads the side and the result is the same as for plain compact input
            assertThat(decode("{\"channel\":\"push.depth.full\",\"data\":{\"bids\":[[5,1,1],[4.5,2,1],[ 4 , 3 ,1],"
                    + "[3.5,4,1]],\"asks\":[[6,1,1],[6.5,-0.0,1],[7,3,1],[7.5e0,4,1]],\"cts\":1759321623290}}"))
                    .containsExactly(new Row(1759321623290L, RowType.DEPTH,
                            "[5,1],[4.5,2],[4,3],[3.5,4]|[6,1],[6.5,0.0],[7,3],[7.5,4]"));
            assertThat(decode("{\"channel\":\"push.depth.full\",\"data\":{\"bids\":[[5,1,1],[4.5,2,1],[4,\"x\",1]],"
                    + "\"asks\":[]},\"ts\":1759321623306}"))
                    .as("a bad level after good ones still spoils the frame")
                    .containsExactly(new Row(1759321623306L, RowType.RAW, "{\"channel\":\"push.depth.full\",\"data\":"
                            + "{\"bids\":[[5,1,1],[4.5,2,1],[4,\"x\",1]],\"asks\":[]},\"ts\":1759321623306}"));
        }

        @Test
        void bothSidesEmptyIsAnEmptyTextEachSide() {
            assertThat(decode("{\"channel\":\"push.depth.full\",\"data\":{\"asks\":[],\"bids\":[],\"version\":1},\"ts\":1759321623306}"))
                    .containsExactly(new Row(1759321623306L, RowType.DEPTH, "|"));
        }

        @Test
        void atMostTwentyLevelsPerSideAreKept() {
            StringBuilder bids = new StringBuilder();
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < 25; i++) {
                bids.append(i == 0 ? "" : ",").append("[").append(100 - i).append(",").append(i + 1).append(",1]");
                if (i < 20) {
                    expected.append(i == 0 ? "" : ",").append("[").append(100 - i).append(",").append(i + 1).append("]");
                }
            }
            assertThat(decode("{\"channel\":\"push.depth.full\",\"data\":{\"bids\":[" + bids + "],\"asks\":[]},\"ts\":1759321623306}"))
                    .containsExactly(new Row(1759321623306L, RowType.DEPTH, expected + "|"));
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "{\"channel\":\"push.depth.full\",\"data\":{\"asks\":[[1,2,1]]},\"ts\":1759321623306}",
            "{\"channel\":\"push.depth.full\",\"data\":{\"asks\":[[1,2,1]],\"bids\":null},\"ts\":1759321623306}",
            "{\"channel\":\"push.depth.full\",\"data\":{\"asks\":[[1]],\"bids\":[]},\"ts\":1759321623306}",
            "{\"channel\":\"push.depth.full\",\"data\":{\"asks\":[[\"1\",2,1]],\"bids\":[]},\"ts\":1759321623306}",
            "{\"channel\":\"push.depth.full\",\"data\":{\"asks\":[[1,2,1],{}],\"bids\":[]},\"ts\":1759321623306}",
            "{\"channel\":\"push.depth.full\",\"data\":{\"asks\":[],\"bids\":[],\"cts\":\"1759321623290\"},\"ts\":1759321623306}",
            "{\"channel\":\"push.depth.full\",\"data\":{\"asks\":[],\"asks\":[],\"bids\":[]},\"ts\":1759321623306}",
            // incremental depth and other channels we do not subscribe to
            "{\"channel\":\"push.depth\",\"data\":{\"asks\":[[6859.5,0,0]],\"bids\":[],\"version\":96801928},\"symbol\":\"BTC_USDT\",\"ts\":1759321623306}",
            "{\"channel\":\"push.kline\",\"data\":{\"a\":1,\"interval\":\"Min1\"},\"symbol\":\"BTC_USDT\",\"ts\":1759321623306}",
            "{\"channel\":\"push.funding.rate\",\"data\":{\"rate\":0.0001},\"ts\":1759321623306}",
            "{\"channel\":\"rs.sub.deal\",\"data\":\"failed\",\"ts\":1759321623306}",
            "{\"data\":{\"asks\":[],\"bids\":[]},\"ts\":1759321623306}",
            "{\"channel\":42,\"ts\":1759321623306}"
        })
        void notAValidFullDepthOrAnotherChannelIsDl(String frame) {
            if (frame.startsWith("{\"channel\":42")) {
                assertRaw(frame, RECV); // not even an envelope
            } else {
                assertRaw(frame, 1759321623306L);
            }
        }

        @Test
        void orderCountIsOptional() {
            assertThat(decode("{\"channel\":\"push.depth.full\",\"data\":{\"asks\":[[1,2]],\"bids\":[[0.5,3,7,\"x\"]]}}"))
                    .containsExactly(new Row(RECV, RowType.DEPTH, "[0.5,3]|[1,2]"));
        }
    }

    @Nested
    class Protocol {
        @Test
        void pongAndSubscriptionAcksAreNotRows() throws IOException {
            assertThat(decode(fixture("pong.json"))).isEmpty();
            assertThat(kind).isEqualTo(FrameKind.PONG);
            assertThat(decode(fixture("ack.json"))).isEmpty();
            assertThat(kind).isEqualTo(FrameKind.ACK);
            assertThat(decoder.ackMethod()).isEqualTo("sub.depth.full");
            assertThat(decode("{\"data\":\"success\",\"channel\":\"rs.sub.ticker\",\"ts\":\"1587442022003\"}")).isEmpty();
            assertThat(decoder.ackMethod()).isEqualTo("sub.ticker");
        }

        @Test
        void rsErrorIsADlRowAndReportsItsText() throws IOException {
            String frame = fixture("error.json");
            assertRaw(frame, 1587442022003L);
            assertThat(kind).isEqualTo(FrameKind.ERROR);
            assertThat(decoder.errorText()).isEqualTo("Contract [NOPE_USDT] not exists");
            String timeout = fixture("ping-timeout.json");
            assertRaw(timeout, 1587442082003L);
            assertThat(decoder.errorText()).isEqualTo("more than 60 seconds no response, close the channel");
        }
    }

    @Nested
    class Syntax {
        @ParameterizedTest
        @ValueSource(strings = {
            "",
            "   ",
            "not json",
            "{\"channel\":\"push.deal\",\"data\":[{\"p\":1,\"v\"",
            "{\"channel\":\"push.deal\",\"data\":{\"p\":1,\"v\":2,\"T\":1},\"ts\":1759321623305}}",
            "{\"channel\":\"push.deal\",\"data\":{\"p\":1,\"v\":2,\"T\":1},\"ts\":1759321623305} x",
            "{\"channel\":\"push.ticker\",\"data\":{\"lastPrice\":01,\"fairPrice\":2,\"indexPrice\":3,\"fundingRate\":0,\"holdVol\":4},\"ts\":1759321623082}",
            "{\"channel\":\"push.deal\",\"data\":{\"p\":+1,\"v\":2,\"T\":1},\"ts\":1759321623305}",
            "{\"channel\":\"push.deal\",\"data\":{\"p\":.5,\"v\":2,\"T\":1},\"ts\":1759321623305}",
            "{\"channel\":\"push.deal\",\"data\":{\"p\":1.,\"v\":2,\"T\":1},\"ts\":1759321623305}",
            "{\"channel\":\"push.deal\",\"data\":{\"p\":1e,\"v\":2,\"T\":1},\"ts\":1759321623305}",
            "{\"channel\":\"push.deal\",\"data\":{\"p\":NaN,\"v\":2,\"T\":1},\"ts\":1759321623305}",
            "{\"channel\":\"push.deal\",\"data\":{\"p\":1,\"v\":2,\"T\":1,},\"ts\":1759321623305}",
            "{\"channel\":\"push.deal\" \"data\":{\"p\":1,\"v\":2,\"T\":1}}",
            "{\"channel\":\"push.deal\",\"data\":{\"p\":1,\"v\":2,\"T\":1,\"x\":\"a\tb\"}}",
            "{\"channel\":\"push.deal\",\"data\":{\"p\":1,\"v\":2,\"T\":1,\"x\":\"bad \\q escape\"}}",
            "{\"channel\":\"push.deal\",\"data\":{\"p\":1,\"v\":2,\"T\":1,\"x\":\"\\u12\"}}",
            "{\"channel\":\"push.deal\",\"channel\":\"push.deal\",\"data\":{\"p\":1,\"v\":2,\"T\":1}}",
            "[{\"channel\":\"push.deal\",\"data\":{\"p\":1,\"v\":2,\"T\":1}}]",
            "{\"channel\":\"push.deal\",\"data\":{\"p\":1,\"v\":2,\"T\":1,\"x\":tru}}"
        })
        void malformedJsonIsOneDlRowWithTheReceiveTime(String frame) {
            assertRaw(frame, RECV);
            assertThat(kind).isEqualTo(FrameKind.RAW);
        }

        @Test
        void anyKeyOrderAndAnyWhitespaceIncludingTabsAndCrlf() {
            String pretty = "{\r\n\t\"ts\" : 1759321623305 ,\r\n    \"data\" :\t[ {\n        \"t\" : 1759321623301 ,\n"
                    + "  \"T\":\t2, \"v\" : 3 , \"p\" : 122115.1 } ] ,\n  \"symbol\" : \"BTC_USDT\" ,\"channel\" : \"push.deal\"\n}\n";
            assertThat(decode(pretty)).containsExactly(new Row(1759321623301L, RowType.DEAL, "122115.1|3|2"));
        }

        @Test
        void escapedKeysAndChannelNamesAreUnderstood() {
            assertThat(decode("{\"\\u0063hannel\":\"push.\\u0064eal\",\"d\\u0061ta\":{\"\\u0070\":1,\"v\":2,\"T\":1,\"t\":1759321623301}}"))
                    .containsExactly(new Row(1759321623301L, RowType.DEAL, "1|2|1"));
        }

        @Test
        void theRealChannelDecidesEvenWhenTheTextSuggestsAnother() {
            // the channel guess (first "channel":"push.…" in the text) points at a nested key, not the envelope's
            assertThat(decode("{\"symbol\":\"BTC_USDT\",\"data\":{\"channel\":\"push.deal\",\"lastPrice\":1,"
                    + "\"fairPrice\":2,\"indexPrice\":3,\"fundingRate\":0,\"holdVol\":4,\"timestamp\":1759321623081},"
                    + "\"channel\":\"push.ticker\",\"ts\":1759321623082}"))
                    .containsExactly(new Row(1759321623081L, RowType.TICKER, "1|2|3|0.00000000|4"));
            assertThat(decode("{\"data\":{\"p\":1,\"v\":2,\"T\":1,\"t\":1759321623301},\"x\":\"\\\"channel\\\":\\\"push.depth.full\\\"\","
                    + "\"channel\":\"push.deal\"}"))
                    .containsExactly(new Row(1759321623301L, RowType.DEAL, "1|2|1"));
        }

        @Test
        void unknownFieldsOfAnyShapeAreIgnored() {
            assertThat(decode("{\"channel\":\"push.deal\",\"extra\":{\"a\":[1,{\"b\":null}],\"c\":true},\"data\":{\"p\":1,"
                    + "\"v\":2,\"T\":1,\"O\":3,\"M\":false,\"i\":\"x\\\"y\",\"cts\":[],\"t\":1759321623301},\"z\":-1.5e-3}"))
                    .containsExactly(new Row(1759321623301L, RowType.DEAL, "1|2|1"));
        }

        @Test
        void escapedTabsAndNewlinesInsideStringsAreValidAndKeptRawInDl() {
            String frame = "{\"channel\":\"rs.error\",\"data\":\"line1\\nline2\\ttab \\u00fc \\ud83d\\ude00\",\"ts\":1587442022003}";
            assertRaw(frame, 1587442022003L);
            assertThat(decoder.errorText()).isEqualTo("line1\nline2\ttab ü \uD83D\uDE00");
        }

        @Test
        void veryDeepNestingIsMalformedNotAStackOverflow() {
            String deep = "{\"channel\":\"push.kline\",\"data\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
            assertRaw(deep, RECV);
        }

        @Test
        void frameTsOutsideThePlausibleRangeIsNotUsed() {
            assertThat(decode("{\"channel\":\"push.deal\",\"data\":{\"p\":1,\"v\":2,\"T\":1},\"ts\":99999999999999999999}"))
                    .containsExactly(new Row(RECV, RowType.DEAL, "1|2|1"));
        }
    }

    @Nested
    class HugeExponents {
        static final String DEAL = "{\"channel\":\"push.deal\",\"data\":{\"p\":%s,\"v\":2,\"T\":%s,\"t\":%s},"
                + "\"ts\":1587442022003}";

        @ParameterizedTest
        @ValueSource(strings = {"1e99999999999", "1E999999999", "1e-99999999999", "-0e1001"})
        void aPriceWhosePlainFormCannotBeWrittenIsDlNotACrashOrAGigabyte(String price) {
            assertRaw(DEAL.formatted(price, "1", "1587442049632"), 1_587_442_022_003L);
        }

        @Test
        void anExponentUpToTheLimitIsWrittenOut() {
            assertThat(decode(DEAL.formatted("1E+1000", "1", "1587442049632"))).containsExactly(
                    new Row(1_587_442_049_632L, RowType.DEAL, "1" + "0".repeat(1000) + "|2|1"));
            assertThat(decode(DEAL.formatted("1e-1000", "1", "1587442049632"))).containsExactly(
                    new Row(1_587_442_049_632L, RowType.DEAL, "0." + "0".repeat(999) + "1|2|1"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"1e99999999999", "1e-99999999999", "1e999999999"})
        void aDirectionOrTimeWithAHugeExponentIsDl(String number) {
            assertRaw(DEAL.formatted("1", number, "1587442049632"), 1_587_442_022_003L);
            assertRaw(DEAL.formatted("1", "1", number), 1_587_442_022_003L);
        }

        @Test
        void aFrameTsWithAHugeExponentFallsBackToTheReceiveTime() {
            assertRaw("{\"channel\":\"push.kline\",\"ts\":1e99999999999}", RECV);
        }

        @Test
        void aDepthLevelWithAHugeExponentIsDl() {
            assertRaw("{\"channel\":\"push.depth.full\",\"data\":{\"asks\":[[1e99999999999,1,1]],\"bids\":[]},"
                    + "\"ts\":1587442022003}", 1_587_442_022_003L);
        }
    }

    @Test
    void aFailingSinkIsNotMistakenForAMalformedFrame() {
        IllegalStateException full = new IllegalStateException("sink closed");
        String frame = "{\"channel\":\"push.deal\",\"data\":{\"p\":1,\"v\":2,\"T\":1},\"ts\":1587442022003}";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> decoder.decodeText(frame, RECV, (ts, mt, m) -> {
            throw full;
        })).isSameAs(full);
        assertThat(decoder.internalError()).isNull();
    }

    @Nested
    class Binary {
        byte[] gzip(byte[] b) throws IOException {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            try (GZIPOutputStream z = new GZIPOutputStream(o)) {
                z.write(b);
            }
            return o.toByteArray();
        }

        List<Row> decodeBinary(byte[] b) {
            rows.clear();
            kind = decoder.decodeBinary(b, RECV, (ts, mt, m) -> rows.add(new Row(ts, mt, m)));
            return rows;
        }

        @Test
        void gzipJsonDecodesLikeText() throws IOException {
            assertThat(decodeBinary(gzip(fixture("deal-live-array.json").getBytes(StandardCharsets.UTF_8))))
                    .extracting(Row::m).containsExactly("122115.1|12|1", "122115|3|2", "122115.10|540|2");
            assertThat(kind).isEqualTo(FrameKind.DEAL);
        }

        @Test
        void gzipOfMalformedJsonKeepsTheInflatedText() throws IOException {
            assertThat(decodeBinary(gzip("{\"channel\":\"push.deal\",\"da".getBytes(StandardCharsets.UTF_8))))
                    .containsExactly(new Row(RECV, RowType.RAW, "{\"channel\":\"push.deal\",\"da"));
        }

        @Test
        void undecodableBinaryIsKeptAsBase64() throws IOException {
            byte[] notGzip = {1, 2, 3, (byte) 0xff};
            assertThat(decodeBinary(notGzip)).containsExactly(new Row(RECV, RowType.RAW, "AQID/w=="));
            byte[] truncated = gzip("{\"channel\":\"pong\"}".getBytes(StandardCharsets.UTF_8));
            truncated = java.util.Arrays.copyOf(truncated, truncated.length - 6);
            assertThat(decodeBinary(truncated))
                    .containsExactly(new Row(RECV, RowType.RAW, Base64.getEncoder().encodeToString(truncated)));
            byte[] badUtf8 = gzip(new byte[] {'{', (byte) 0xc3, (byte) 0x28, '}'});
            assertThat(decodeBinary(badUtf8))
                    .containsExactly(new Row(RECV, RowType.RAW, Base64.getEncoder().encodeToString(badUtf8)));
            assertThat(decodeBinary(new byte[0])).containsExactly(new Row(RECV, RowType.RAW, ""));
        }
    }
}
