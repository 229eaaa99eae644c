package dev.forwardauth.config;

import java.util.Locale;
import java.util.Optional;

/** Which /authorize decisions the decision log writes (top-level key {@code decision-log}). */
public enum DecisionLogLevel {
    /** Every decision. */
    ALL,
    /** Only decisions that did not let the request pass (every answer but 2xx). */
    DENIED,
    /** None. */
    OFF;

    public static final DecisionLogLevel DEFAULT = ALL;

    /** The value as written in the file. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<DecisionLogLevel> parse(String value) {
        for (DecisionLogLevel level : values()) {
            if (level.configName().equals(value)) {
                return Optional.of(level);
            }
        }
        return Optional.empty();
    }
}
