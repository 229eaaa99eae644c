package dev.forwardauth.policy;

import java.util.Objects;
import java.util.Set;

// One entry of an app's "rules". index is its position in that list, so logs can point at the config.
// Methods are compared exactly: HTTP methods are case-sensitive, and servers do not treat "get" as GET.
public record Rule(
        int index,
        PathPattern path,
        Set<String> methods,
        Access allow,
        Set<String> requiredScopes,
        Set<String> requiredPermissions) {

    public Rule {
        if (index < 0) {
            throw new IllegalArgumentException("index must not be negative: " + index);
        }
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(allow, "allow");
        methods = OrderedSets.copyOf(methods, "methods");
        requiredScopes = OrderedSets.copyOf(requiredScopes, "requiredScopes");
        requiredPermissions = OrderedSets.copyOf(requiredPermissions, "requiredPermissions");
    }

    // The method check first: it is the cheaper one.
    public boolean matches(String method, String normalisedPath) {
        return (methods.isEmpty() || methods.contains(method)) && path.matches(normalisedPath);
    }

    public String describe() {
        String where = "rules[" + index + "] " + path.glob();
        return methods.isEmpty() ? where : where + " " + String.join(",", methods);
    }
}
