package dev.forwardauth.policy;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

// Unmodifiable copies that keep the configured order, so a 403 lists what is missing in the order written.
final class OrderedSets {

    private OrderedSets() {
    }

    static Set<String> copyOf(Set<String> values, String what) {
        if (values == null || values.isEmpty()) {
            return Set.of();
        }
        for (String value : values) {
            Objects.requireNonNull(value, what);
        }
        return Collections.unmodifiableSet(new LinkedHashSet<>(values));
    }
}
