package dev.forwardauth.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

// What a request needs, and why (reason is for the decision log). Policy builds these once at compile time.
// DENY and ANONYMOUS are decided before any token is looked at; check(Grants) is for AUTHENTICATED.
public record Requirement(
        Access access,
        Set<String> requiredScopes,
        Set<String> requiredPermissions,
        Optional<Rule> rule,
        String reason) {

    public Requirement {
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(reason, "reason");
        requiredScopes = OrderedSets.copyOf(requiredScopes, "requiredScopes");
        requiredPermissions = OrderedSets.copyOf(requiredPermissions, "requiredPermissions");
        if (access != Access.AUTHENTICATED && !(requiredScopes.isEmpty() && requiredPermissions.isEmpty())) {
            throw new IllegalArgumentException(access.configName() + " takes no required scopes or permissions");
        }
    }

    // An anonymous or denying rule needs no scopes, so they are not carried: nothing downstream can misread
    // a scope list on a rule that never checks it.
    static Requirement forRule(Rule rule) {
        String reason = "rule " + rule.describe() + switch (rule.allow()) {
            case ANONYMOUS -> " allows anonymous access";
            case AUTHENTICATED -> " requires login";
            case DENY -> " denies access";
        };
        boolean checksToken = rule.allow() == Access.AUTHENTICATED;
        return new Requirement(rule.allow(),
                checksToken ? rule.requiredScopes() : Set.of(),
                checksToken ? rule.requiredPermissions() : Set.of(),
                Optional.of(rule), reason);
    }

    static Requirement appRequiresLogin(Set<String> scopes, Set<String> permissions) {
        return new Requirement(Access.AUTHENTICATED, scopes, permissions, Optional.empty(),
                "no rule matched; app requires login");
    }

    static Requirement notRestricted(String method) {
        return new Requirement(Access.ANONYMOUS, Set.of(), Set.of(), Optional.empty(),
                "method " + method + " not restricted");
    }

    public Verdict check(Grants grants) {
        if (access == Access.DENY) {
            // Calling this for DENY is a bug in the caller; answering Allowed would let the request through.
            throw new IllegalStateException("a denied request is refused before any token is checked");
        }
        List<String> scopes = missing(requiredScopes, grants.scopes());
        List<String> permissions = missing(requiredPermissions, grants.permissions());
        return scopes.isEmpty() && permissions.isEmpty() ? Verdict.ALLOWED : new Verdict.Missing(scopes, permissions);
    }

    private static List<String> missing(Set<String> required, Set<String> granted) {
        List<String> missing = List.of();
        for (String item : required) {
            if (!granted.contains(item)) {
                if (missing.isEmpty()) {
                    missing = new ArrayList<>();
                }
                missing.add(item);
            }
        }
        return missing;
    }
}
