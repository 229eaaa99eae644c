package dev.forwardauth.config;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One rule of an app, validated. {@code index} is its position in the app's {@code rules} (for logs and
 * messages); {@code methods} empty means every method; {@code allow} is anonymous, authenticated or deny.
 */
public record RuleConfig(int index, String path, Set<String> methods, String allow, List<String> requiredScopes,
        List<String> requiredPermissions) {

    public static final String ANONYMOUS = "anonymous";
    public static final String AUTHENTICATED = "authenticated";
    public static final String DENY = "deny";

    public RuleConfig {
        if (!AppValidator.ALLOW_WORDS.contains(allow)) {
            throw new IllegalArgumentException("allow must be anonymous, authenticated or deny, got " + allow);
        }
        methods = Immutable.set(Objects.requireNonNull(methods, "methods (empty = every method)"));
        requiredScopes = List.copyOf(requiredScopes);
        requiredPermissions = List.copyOf(requiredPermissions);
    }
}
