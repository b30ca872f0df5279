package com.mexcpipe.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The market model's frames over many samples, without a network: every variation the live exchange shows. */
class FrameShapeTest {
    private static final ObjectMapper M = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final SimOptions DEFAULTS = new SimOptions(false, false, 0, 0.005);

    private static SymbolMarket btc(SimOptions o) {
        return new SymbolMarket("BTC_USDT", SymbolMarket.defaultStart("BTC_USDT"), 42, o);
    }

    private static List<String> keys(JsonNode n) {
        List<String> l = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            l.add(it.next());
        }
        return l;
    }

    @Test
    void envelopesVaryKeyOrderAndKeepEventTimesBeforeTs() throws Exception {
        SymbolMarket m = btc(DEFAULTS);
        int symbolFirst = 0;
        int channelFirst = 0;
        for (int i = 0; i < 3000; i++) {
            long now = 1_760_000_000_000L + i * 10L;
            Frame f = switch (i % 3) {
                case 0 -> m.ticker(now);
                case 1 -> m.deal(now);
                default -> m.depth(now).frame(20);
            };
            JsonNode n = M.readTree(f.text);
            assertThat(keys(n)).containsExactlyInAnyOrder("channel", "data", "symbol", "ts");
            assertThat(n.get("ts").asLong()).isEqualTo(now);
            assertThat(n.get("symbol").asText()).isEqualTo("BTC_USDT");
            symbolFirst += f.text.startsWith("{\"symbol\"") ? 1 : 0;
            channelFirst += f.text.startsWith("{\"channel\"") ? 1 : 0;
            JsonNode d = n.get("data");
            switch (f.channel) {
                case TICKER -> assertThat(d.get("timestamp").asLong()).isLessThanOrEqualTo(now);
                case DEAL -> d.forEach(it -> assertThat(it.get("t").asLong()).isLessThanOrEqualTo(now));
                case DEPTH -> assertThat(d.get("cts").asLong()).isLessThanOrEqualTo(now);
            }
        }
        assertThat(symbolFirst).isGreaterThan(300);
        assertThat(channelFirst).isGreaterThan(300);
    }

    @Test
    void tickerNumbersComeInEveryLiveForm() throws Exception {
        SymbolMarket m = btc(DEFAULTS);
        Pattern integerPrice = Pattern.compile("\"lastPrice\":\\d+[,}]");
        Pattern trailingZero = Pattern.compile("\"lastPrice\":\\d+\\.\\d0[,}]");
        int fundingZeroInt = 0;
        int integerForm = 0;
        int trailing = 0;
        int noContractId = 0;
        int rfrArray = 0;
        int rfrObject = 0;
        for (int i = 0; i < 4000; i++) {
            Frame f = m.ticker(1_760_000_000_000L + i);
            JsonNode d = M.readTree(f.text).get("data");
            for (String k : List.of("ask1", "bid1", "fairPrice", "fundingRate", "high24Price", "indexPrice", "lastPrice",
                    "lower24Price", "maxBidPrice", "minAskPrice", "riseFallRate", "riseFallValue", "timestamp", "holdVol",
                    "volume24", "amount24")) {
                assertThat(d.get(k)).as(k + " in " + f.text).isNotNull();
                assertThat(d.get(k).isNumber()).as(k + " in " + f.text).isTrue();
            }
            assertThat(d.get("bid1").decimalValue()).isLessThan(d.get("ask1").decimalValue());
            JsonNode fr = d.get("fundingRate");
            if (fr.isIntegralNumber() && fr.asLong() == 0) {
                fundingZeroInt++;
            }
            integerForm += integerPrice.matcher(f.text).find() ? 1 : 0;
            trailing += trailingZero.matcher(f.text).find() ? 1 : 0;
            noContractId += d.has("contractId") ? 0 : 1;
            rfrArray += d.get("riseFallRates").isArray() ? 1 : 0;
            rfrObject += d.get("riseFallRates").isObject() ? 1 : 0;
            assertThat(d.get("amount24").decimalValue().scale()).isEqualTo(16);
        }
        assertThat(fundingZeroInt).as("fundingRate as integer 0").isPositive();
        assertThat(integerForm).as("prices in integer form").isPositive();
        assertThat(trailing).as("prices with trailing zeros").isPositive();
        assertThat(noContractId).isPositive();
        assertThat(rfrArray).isPositive();
        assertThat(rfrObject).isPositive();
    }

    @Test
    void dealsAreArraysWithLiveVariations() throws Exception {
        SymbolMarket m = btc(DEFAULTS);
        int unordered = 0;
        int idString = 0;
        int idNumber = 0;
        int ctsString = 0;
        int multi = 0;
        for (int i = 0; i < 3000; i++) {
            long now = 1_760_000_000_000L + i * 100L;
            Frame f = m.deal(now);
            JsonNode d = M.readTree(f.text).get("data");
            assertThat(d.isArray()).isTrue();
            assertThat(d.size()).isEqualTo(f.events).isBetween(1, 5);
            multi += d.size() > 1 ? 1 : 0;
            long prev = Long.MIN_VALUE;
            for (JsonNode it : d) {
                assertThat(it.get("p").isNumber()).isTrue();
                assertThat(it.get("v").isIntegralNumber()).isTrue();
                assertThat(it.get("v").asLong()).isPositive();
                assertThat(it.get("T").asInt()).isIn(1, 2);
                assertThat(it.get("O").isIntegralNumber()).isTrue();
                assertThat(it.get("M").isIntegralNumber()).isTrue();
                long t = it.get("t").asLong();
                assertThat(t).isBetween(now - 60, now);
                if (t < prev) {
                    unordered++;
                }
                prev = t;
                if (it.has("i")) {
                    idString += it.get("i").isTextual() ? 1 : 0;
                    idNumber += it.get("i").isNumber() ? 1 : 0;
                }
                if (it.has("cts")) {
                    ctsString += it.get("cts").isTextual() ? 1 : 0;
                    assertThat(Long.parseLong(it.get("cts").asText())).isLessThanOrEqualTo(now);
                }
            }
        }
        assertThat(multi).isPositive();
        assertThat(unordered).as("arrays not in time order").isPositive();
        assertThat(idString).isPositive();
        assertThat(idNumber).isPositive();
        assertThat(ctsString).isPositive();
    }

    @Test
    void depthLevelsAreOrderedBestFirstAndSidesSometimesEmpty() throws Exception {
        SymbolMarket m = btc(DEFAULTS);
        long lastVersion = 0;
        int emptySide = 0;
        for (int i = 0; i < 3000; i++) {
            long now = 1_760_000_000_000L + i * 100L;
            SymbolMarket.DepthBook book = m.depth(now);
            JsonNode d20 = M.readTree(book.frame(20).text).get("data");
            JsonNode d5 = M.readTree(book.frame(5).text).get("data");
            assertThat(d5.get("version").asLong()).isEqualTo(d20.get("version").asLong()).isGreaterThan(lastVersion);
            lastVersion = d20.get("version").asLong();
            assertThat(d5.get("bids").size()).isLessThanOrEqualTo(5);
            assertThat(d20.get("bids").size()).isIn(0, 20);
            assertThat(d20.get("asks").size()).isIn(0, 20);
            emptySide += d20.get("bids").isEmpty() || d20.get("asks").isEmpty() ? 1 : 0;
            assertOrdered(d20.get("bids"), -1);
            assertOrdered(d20.get("asks"), +1);
            if (!d20.get("bids").isEmpty() && !d20.get("asks").isEmpty()) {
                assertThat(d20.get("bids").get(0).get(0).decimalValue()).isLessThan(d20.get("asks").get(0).get(0).decimalValue());
            }
        }
        assertThat(emptySide).isPositive();
    }

    static void assertOrdered(JsonNode side, int dir) {
        BigDecimal prev = null;
        for (JsonNode level : side) {
            assertThat(level.isArray()).isTrue();
            assertThat(level.size()).isEqualTo(3);
            assertThat(level.get(0).isNumber()).isTrue();
            assertThat(level.get(1).isIntegralNumber()).isTrue();
            assertThat(level.get(2).isIntegralNumber()).isTrue();
            BigDecimal p = level.get(0).decimalValue();
            if (prev != null) {
                assertThat(p.compareTo(prev)).as("levels best first").isEqualTo(dir);
            }
            prev = p;
        }
    }

    @Test
    void optionalExoticFormsStillParse() throws Exception {
        SymbolMarket m = btc(new SimOptions(true, true, 0.5, 0.005));
        int exponent = 0;
        int pretty = 0;
        int objectDeals = 0;
        for (int i = 0; i < 3000; i++) {
            long now = 1_760_000_000_000L + i;
            for (Frame f : List.of(m.ticker(now), m.deal(now), m.depth(now).frame(20))) {
                JsonNode n = M.readTree(f.text);
                assertThat(n.get("channel").asText()).isEqualTo(f.channel.pushChannel());
                exponent += f.text.contains("E+") ? 1 : 0;
                pretty += f.text.contains("\n") ? 1 : 0;
                objectDeals += f.channel == Channel.DEAL && n.get("data").isObject() ? 1 : 0;
            }
        }
        assertThat(exponent).isPositive();
        assertThat(pretty).isPositive();
        assertThat(objectDeals).isPositive();
    }

    @Test
    void numberForms() {
        assertThat(Num.minimal(new BigDecimal("90000.0"))).isEqualTo("90000");
        assertThat(Num.minimal(new BigDecimal("0.0270"))).isEqualTo("0.027");
        assertThat(Num.exponent(new BigDecimal("75480"))).isEqualTo("7.548E+4");
        assertThat(Num.exponent(new BigDecimal("0.00012"))).isEqualTo("1.2E-4");
        assertThat(new BigDecimal(Num.exponent(new BigDecimal("-90000.5")))).isEqualByComparingTo("-90000.5");
    }
}
