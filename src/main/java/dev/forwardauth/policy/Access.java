package dev.forwardauth.policy;

import java.util.Locale;
import java.util.Optional;

// A rule's "allow": what a request needs before it may pass.
public enum Access {
    ANONYMOUS,
    AUTHENTICATED,
    DENY;

    private final String configName = name().toLowerCase(Locale.ROOT);

    public String configName() {
        return configName;
    }

    // Exactly the lower-case config words: "Deny" is a typo the validator should report, not guess at.
    public static Optional<Access> parse(String value) {
        for (Access access : values()) {
            if (access.configName.equals(value)) {
                return Optional.of(access);
            }
        }
        return Optional.empty();
    }
}
