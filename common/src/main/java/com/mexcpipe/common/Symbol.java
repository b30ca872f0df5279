package com.mexcpipe.common;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A MEXC futures contract such as {@code BTC_USDT} and its table base name ({@code btc}, the lowercase base asset).
 */
public record Symbol(String value, String base) {
    private static final Pattern FORMAT = Pattern.compile("[A-Z0-9]{1,30}_[A-Z0-9]{1,30}");

    public Symbol {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("not a MEXC futures symbol (expected like BTC_USDT): '" + value + "'");
        }
    }

    /** Parses {@code BTC_USDT}; throws {@link IllegalArgumentException} with the offending text otherwise. */
    public static Symbol parse(String text) {
        String v = text == null ? null : text.trim();
        if (v == null || !FORMAT.matcher(v).matches()) {
            throw new IllegalArgumentException("not a MEXC futures symbol (expected like BTC_USDT): '" + text + "'");
        }
        return new Symbol(v, v.substring(0, v.indexOf('_')).toLowerCase(Locale.ROOT));
    }

    /** {@code <base>_current}, the table the client appends to. */
    public String currentTable() {
        return base + "_current";
    }

    /** {@code <base>_previous}, the table being exported after a rotation. */
    public String previousTable() {
        return base + "_previous";
    }

    @Override
    public String toString() {
        return value;
    }
}
