package dev.forwardauth.config;

import java.math.BigInteger;
import java.util.OptionalLong;

/**
 * The value of a JSON number's text as significant digits times a power of ten, worked out in time linear in
 * its length and never as a BigDecimal or BigInteger of unbounded size: {@code 1e999999999} is one digit and
 * an exponent here, where {@code BigDecimal.toBigInteger()} would compute a billion digits. {@code 1e2} and
 * {@code 5.0} are whole numbers (100 and 5), as they are to every JSON reader that is not Java's.
 */
final class NumberText {
    // Exponents are clamped to this: far beyond any digit count (the file is at most 1 MiB), far from overflow.
    private static final long EXPONENT_LIMIT = 1_000_000_000_000L;
    private static final int LONG_DIGITS = 19;
    private static final int SHOWN_LENGTH = 40;

    private final boolean negative;
    /** Without leading or trailing zeros; empty for zero. */
    private final String digits;
    private final long exponent;

    private NumberText(boolean negative, String digits, long exponent) {
        this.negative = negative;
        this.digits = digits;
        this.exponent = exponent;
    }

    /** {@code text} must be a JSON number (RFC 8259 section 6), as the parser has checked it to be. */
    static NumberText parse(String text) {
        int i = 0;
        boolean negative = text.startsWith("-");
        if (negative) {
            i++;
        }
        int intStart = i;
        i = skipDigits(text, i);
        String integer = text.substring(intStart, i);
        String fraction = "";
        if (i < text.length() && text.charAt(i) == '.') {
            int fracStart = ++i;
            i = skipDigits(text, i);
            fraction = text.substring(fracStart, i);
        }
        long exponent = 0;
        if (i < text.length() && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            exponent = exponent(text.substring(i + 1));
        }
        String all = integer + fraction;
        int first = 0;
        while (first < all.length() && all.charAt(first) == '0') {
            first++;
        }
        int end = all.length();
        while (end > first && all.charAt(end - 1) == '0') {
            end--;
        }
        if (first == end) {
            return new NumberText(false, "", 0);
        }
        return new NumberText(negative, all.substring(first, end), exponent - fraction.length() + (all.length() - end));
    }

    boolean isWhole() {
        return exponent >= 0;
    }

    /** The value when it is a whole number a long can hold; empty for a fraction or a larger magnitude. */
    OptionalLong longValue() {
        if (digits.isEmpty()) {
            return OptionalLong.of(0);
        }
        if (!isWhole() || digits.length() + exponent > LONG_DIGITS) {
            return OptionalLong.empty();
        }
        BigInteger value = new BigInteger(digits + "0".repeat((int) exponent));
        value = negative ? value.negate() : value;
        return value.bitLength() < Long.SIZE ? OptionalLong.of(value.longValueExact()) : OptionalLong.empty();
    }

    /** The number as a message shows it: as written, unless it is too long to read. */
    static String shown(String text) {
        return text.length() <= SHOWN_LENGTH ? text
                : text.substring(0, SHOWN_LENGTH / 2) + "... (a number of " + text.length() + " characters)";
    }

    private static int skipDigits(String text, int from) {
        int i = from;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    // Saturates instead of overflowing: 1e99999999999 and 1e-99999999999 only need to stay huge and tiny.
    private static long exponent(String text) {
        boolean negative = text.startsWith("-");
        String digits = text.startsWith("-") || text.startsWith("+") ? text.substring(1) : text;
        long value = 0;
        for (int i = 0; i < digits.length() && value < EXPONENT_LIMIT; i++) {
            value = value * 10 + (digits.charAt(i) - '0');
        }
        value = Math.min(value, EXPONENT_LIMIT);
        return negative ? -value : value;
    }
}
