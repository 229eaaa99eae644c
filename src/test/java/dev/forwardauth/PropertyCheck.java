package dev.forwardauth;

import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Property tests on plain JUnit Jupiter: a property is checked on many inputs drawn from a {@link Random}
 * with a fixed seed, so a failure comes back on every run and names the input that broke it. A wider search
 * than the unit-test phase can afford: {@code -Dproperty.tries=100000 -Dproperty.seed=<any long>}.
 * (Why not jqwik: docs/security.md, "Fuzzing and property tests".)
 */
public final class PropertyCheck {
    public static final long SEED = Long.getLong("property.seed", 8_2026L);
    public static final int TRIES = Integer.getInteger("property.tries", 1000);

    private PropertyCheck() {
    }

    /** Checks {@code property} on {@link #TRIES} values made by {@code generator}. */
    public static <T> void forAll(Function<Random, T> generator, Consumer<T> property) {
        Random random = new Random(SEED);
        for (int i = 0; i < TRIES; i++) {
            T value = generator.apply(random);
            try {
                property.accept(value);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("property failed on try " + i + " (property.seed=" + SEED + ") for "
                        + describe(value) + ": " + e.getMessage(), e);
            }
        }
    }

    /** A string of {@code min..max} pieces, each picked from {@code pieces}. */
    public static String joined(Random random, int min, int max, String... pieces) {
        int count = min + random.nextInt(max - min + 1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < count; i++) {
            out.append(pieces[random.nextInt(pieces.length)]);
        }
        return out.toString();
    }

    private static String describe(Object value) {
        if (value instanceof byte[] bytes) {
            return bytes.length + " bytes " + java.util.HexFormat.of().formatHex(bytes);
        }
        return "\"" + value + "\"";
    }
}
