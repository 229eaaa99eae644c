package dev.forwardauth.policy;

import static dev.forwardauth.policy.Access.AUTHENTICATED;
import static dev.forwardauth.policy.TestRules.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RuleTest {

    @Test
    void describesItselfForTheDecisionLog() {
        assertEquals("rules[2] /admin/** POST", rule(2, "/admin/**", List.of("POST"), AUTHENTICATED, List.of(), List.of()).describe());
        assertEquals("rules[0] /**", rule(0, "/**", AUTHENTICATED).describe());
        assertEquals("rules[1] /api/** PUT,DELETE",
                rule(1, "/api/**", List.of("PUT", "DELETE"), AUTHENTICATED, List.of(), List.of()).describe());
    }

    @Test
    void withoutMethodsMatchesEveryMethod() {
        Rule rule = rule(0, "/a/**", AUTHENTICATED);

        assertTrue(rule.matches("PROPFIND", "/a/b"));
        assertFalse(rule.matches("GET", "/b"));
    }

    @Test
    void withMethodsNeedsBothMethodAndPath() {
        Rule rule = rule(0, "/a/**", List.of("POST"), AUTHENTICATED, List.of(), List.of());

        assertTrue(rule.matches("POST", "/a"));
        assertFalse(rule.matches("GET", "/a"));
        assertFalse(rule.matches("POST", "/b"));
    }

    @Test
    void keepsRequiredItemsInConfiguredOrder() {
        Rule rule = rule(0, "/a", List.of(), AUTHENTICATED, List.of("z", "a", "m"), List.of("2", "1"));

        assertEquals(List.of("z", "a", "m"), List.copyOf(rule.requiredScopes()));
        assertEquals(List.of("2", "1"), List.copyOf(rule.requiredPermissions()));
    }
}
