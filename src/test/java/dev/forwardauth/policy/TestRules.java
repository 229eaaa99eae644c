package dev.forwardauth.policy;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

// Rules as a config would give them, written in one line per rule.
final class TestRules {

    private TestRules() {
    }

    static Rule rule(int index, String glob, Access allow) {
        return new Rule(index, PathPattern.compile(glob), Set.of(), allow, Set.of(), Set.of());
    }

    static Rule rule(int index, String glob, List<String> methods, Access allow, List<String> scopes,
            List<String> permissions) {
        return new Rule(index, PathPattern.compile(glob), ordered(methods), allow, ordered(scopes), ordered(permissions));
    }

    static Set<String> ordered(List<String> values) {
        return new LinkedHashSet<>(values);
    }
}
