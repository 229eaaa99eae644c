package dev.forwardauth.config;

import jakarta.json.JsonNumber;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A JSON number kept exactly as the file writes it. Parsson makes a BigDecimal of every number when it builds
 * a tree: {@code 1e99999999999} throws NumberFormatException, 200,000 digits UnsupportedOperationException,
 * and either stopped the whole check with no path. The structure check reads the text instead ({@link
 * NumberText}, linear in its length), so such a number is one problem at its path like any other. The
 * conversions below are only for completeness: nothing in forwardauth calls them on a number from a file.
 */
final class RawNumber implements JsonNumber {
    private final String text;

    RawNumber(String text) {
        this.text = text;
    }

    @Override
    public boolean isIntegral() {
        return NumberText.parse(text).isWhole();
    }

    @Override
    public BigDecimal bigDecimalValue() {
        return new BigDecimal(text);
    }

    @Override
    public int intValue() {
        return bigDecimalValue().intValue();
    }

    @Override
    public int intValueExact() {
        return bigDecimalValue().intValueExact();
    }

    @Override
    public long longValue() {
        return bigDecimalValue().longValue();
    }

    @Override
    public long longValueExact() {
        return bigDecimalValue().longValueExact();
    }

    @Override
    public BigInteger bigIntegerValue() {
        return bigDecimalValue().toBigInteger();
    }

    @Override
    public BigInteger bigIntegerValueExact() {
        return bigDecimalValue().toBigIntegerExact();
    }

    @Override
    public double doubleValue() {
        return bigDecimalValue().doubleValue();
    }

    @Override
    public ValueType getValueType() {
        return ValueType.NUMBER;
    }

    /** The number as written in the file. */
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RawNumber that && text.equals(that.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
