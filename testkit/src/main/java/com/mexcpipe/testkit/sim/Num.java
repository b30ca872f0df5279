package com.mexcpipe.testkit.sim;

import java.math.BigDecimal;
import java.util.random.RandomGenerator;

/** Number text in the forms MEXC sends: minimal ({@code 80489}), trailing zeros ({@code 0.0270}), exponent ({@code 7.548E+4}). */
final class Num {
    private Num() {
    }

    /** Minimal plain form: no trailing zeros, integer form when whole, never an exponent. */
    static String minimal(BigDecimal v) {
        if (v.signum() == 0) {
            return "0";
        }
        return v.stripTrailingZeros().toPlainString();
    }

    /** Scientific form with an explicit exponent sign, like {@code 7.548E+4} (a form seen live for depth prices). */
    static String exponent(BigDecimal v) {
        if (v.signum() == 0) {
            return "0E+0";
        }
        BigDecimal s = v.stripTrailingZeros();
        String digits = s.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - s.scale();
        StringBuilder b = new StringBuilder();
        if (s.signum() < 0) {
            b.append('-');
        }
        b.append(digits.charAt(0));
        if (digits.length() > 1) {
            b.append('.').append(digits, 1, digits.length());
        }
        b.append('E').append(exp >= 0 ? '+' : '-').append(Math.abs(exp));
        return b.toString();
    }

    /**
     * A price: usually minimal, sometimes with one or two trailing zeros (kept decimals), rarely (when enabled) in exponent
     * form.
     */
    static String price(long ticks, int scale, RandomGenerator r, boolean allowExponent) {
        BigDecimal v = BigDecimal.valueOf(ticks, scale);
        int dice = r.nextInt(100);
        if (allowExponent && dice == 0) {
            return exponent(v);
        }
        if (dice < 8) {
            return v.setScale(Math.max(v.scale(), 0) + 1).toPlainString();
        }
        if (dice < 12) {
            return v.toPlainString();
        }
        return minimal(v);
    }
}
