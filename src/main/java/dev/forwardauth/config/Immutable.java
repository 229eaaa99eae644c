package dev.forwardauth.config;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

final class Immutable {
    private Immutable() {
    }

    // Set.copyOf would lose the configured order, which logs and docs show back to the user.
    static Set<String> set(Set<String> values) {
        return values == null ? null : Collections.unmodifiableSet(new LinkedHashSet<>(values));
    }
}
