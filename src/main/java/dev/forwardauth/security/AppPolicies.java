package dev.forwardauth.security;

import dev.forwardauth.config.AppConfig;
import dev.forwardauth.config.RuleConfig;
import dev.forwardauth.policy.Access;
import dev.forwardauth.policy.PathPattern;
import dev.forwardauth.policy.Policy;
import dev.forwardauth.policy.Rule;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** Compiles an app's rules and app-wide keys into a {@link Policy} once, when the config loads. */
final class AppPolicies {
    private AppPolicies() {
    }

    static Policy compile(AppConfig app) {
        List<Rule> rules = new ArrayList<>(app.rules().size());
        for (RuleConfig rule : app.rules()) {
            rules.add(new Rule(rule.index(), PathPattern.compile(rule.path()), rule.methods(),
                    Access.parse(rule.allow()).orElseThrow(),
                    new LinkedHashSet<>(rule.requiredScopes()), new LinkedHashSet<>(rule.requiredPermissions())));
        }
        return Policy.compile(rules, app.restrictedMethods(),
                new LinkedHashSet<>(app.requiredScopes()), new LinkedHashSet<>(app.requiredPermissions()));
    }
}
