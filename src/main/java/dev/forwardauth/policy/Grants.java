package dev.forwardauth.policy;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

// What a validated access token grants. Only the access token: the ID token never takes part in a decision.
public record Grants(Set<String> scopes, Set<String> permissions) {

    public static final Grants NONE = new Grants(Set.of(), Set.of());

    public Grants {
        scopes = Set.copyOf(scopes);
        permissions = Set.copyOf(permissions);
    }

    // Claim values as JSON libraries deliver them. "scope" is space-separated (RFC 8693, RFC 9068), Okta and
    // Azure put "scp" as a list or string, Auth0 RBAC puts "permissions" as a list. Some IdPs (PingFederate)
    // send "scope" as a list too, so both scope claims take both shapes. Any other shape grants nothing:
    // a token we cannot read is treated as one that grants less, never as an error.
    public static Grants fromClaims(Object scope, Object scp, Object permissions) {
        Set<String> scopes = new HashSet<>();
        addScopes(scopes, scope);
        addScopes(scopes, scp);
        Set<String> granted = new HashSet<>();
        addStrings(granted, permissions);
        return scopes.isEmpty() && granted.isEmpty() ? NONE : new Grants(scopes, granted);
    }

    private static void addScopes(Set<String> into, Object claim) {
        if (claim instanceof String text) {
            // Split on the space only: RFC 6749 scope tokens are separated by exactly that, and splitting on
            // other whitespace could turn one odd token into two granted ones.
            for (String token : text.split(" ")) {
                if (!token.isEmpty()) {
                    into.add(token);
                }
            }
        } else {
            addStrings(into, claim);
        }
    }

    private static void addStrings(Set<String> into, Object claim) {
        Iterable<?> values;
        if (claim instanceof Collection<?> collection) {
            values = collection;
        } else if (claim instanceof Object[] array) {
            values = Arrays.asList(array);
        } else {
            return;
        }
        for (Object value : values) {
            if (value instanceof String text && !text.isBlank()) {
                into.add(text);
            }
        }
    }
}
