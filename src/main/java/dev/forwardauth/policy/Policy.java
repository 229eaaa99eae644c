package dev.forwardauth.policy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

// One app's decision: the first matching rule decides alone; only a request no rule matches falls back to the
// app-wide keys (SPEC section 3). Every possible answer except an unusual unrestricted method is built here,
// once, so the per-request path allocates nothing.
public final class Policy {

    // Unrestricted methods a request is likely to carry; others get their Requirement built on demand.
    private static final List<String> COMMON_METHODS =
            List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");

    private final Rule[] rules;
    private final Requirement[] ruleRequirements;
    private final Set<String> restrictedMethods;
    private final Requirement appRequiresLogin;
    private final Map<String, Requirement> notRestricted;

    private Policy(List<Rule> rules, Set<String> restrictedMethods, Requirement appRequiresLogin) {
        this.rules = rules.toArray(new Rule[0]);
        this.ruleRequirements = new Requirement[this.rules.length];
        for (int i = 0; i < this.rules.length; i++) {
            ruleRequirements[i] = Requirement.forRule(this.rules[i]);
        }
        this.restrictedMethods = restrictedMethods;
        this.appRequiresLogin = appRequiresLogin;
        Map<String, Requirement> open = new HashMap<>();
        if (restrictedMethods != null) {
            for (String method : COMMON_METHODS) {
                if (!restrictedMethods.contains(method)) {
                    open.put(method, Requirement.notRestricted(method));
                }
            }
        }
        this.notRestricted = Map.copyOf(open);
    }

    // restrictedMethods null means every method needs a login, also ones nobody lists (PROPFIND, TRACE). A set
    // names the methods that need one; every other method, including verbs its writer never thought of, passes.
    public static Policy compile(List<Rule> rules, Set<String> restrictedMethods,
            Set<String> requiredScopes, Set<String> requiredPermissions) {
        Objects.requireNonNull(rules, "rules");
        Set<String> restricted = restrictedMethods == null ? null : OrderedSets.copyOf(restrictedMethods, "restrictedMethods");
        return new Policy(List.copyOf(rules), restricted,
                Requirement.appRequiresLogin(requiredScopes, requiredPermissions));
    }

    public Requirement requirementFor(String method, String normalisedPath) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(normalisedPath, "normalisedPath");
        for (int i = 0; i < rules.length; i++) {
            if (rules[i].matches(method, normalisedPath)) {
                return ruleRequirements[i];
            }
        }
        if (restrictedMethods == null || restrictedMethods.contains(method)) {
            return appRequiresLogin;
        }
        Requirement common = notRestricted.get(method);
        return common != null ? common : Requirement.notRestricted(method);
    }

    public List<Rule> rules() {
        return List.of(rules);
    }
}
