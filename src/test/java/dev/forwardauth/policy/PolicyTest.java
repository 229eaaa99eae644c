package dev.forwardauth.policy;

import static dev.forwardauth.policy.Access.ANONYMOUS;
import static dev.forwardauth.policy.Access.AUTHENTICATED;
import static dev.forwardauth.policy.Access.DENY;
import static dev.forwardauth.policy.TestRules.ordered;
import static dev.forwardauth.policy.TestRules.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PolicyTest {

    private static final Set<String> APP_SCOPES = ordered(List.of("read:site"));
    private static final Set<String> APP_PERMISSIONS = ordered(List.of("use:site"));

    @Test
    void firstMatchingRuleDecidesEvenWhenALaterOneIsStricter() {
        Rule open = rule(0, "/docs/**", ANONYMOUS);
        Rule closed = rule(1, "/docs/internal/**", DENY);
        Policy policy = Policy.compile(List.of(open, closed), null, APP_SCOPES, APP_PERMISSIONS);

        Requirement requirement = policy.requirementFor("GET", "/docs/internal/plan");

        assertEquals(ANONYMOUS, requirement.access());
        assertEquals(Optional.of(open), requirement.rule());
        assertEquals("rule rules[0] /docs/** allows anonymous access", requirement.reason());
    }

    // Globs compare decoded, so an unreserved character written as an escape matches the request however the
    // client wrote it: such a deny rule is not silently dead, and the config check has no reason to refuse it.
    @ParameterizedTest
    @ValueSource(strings = {"/Admin/x", "/%41dmin/x", "/%41%64min/x", "/%41dmin/../%41dmin/x"})
    void aDenyRuleWithAnEscapedUnreservedCharacterDeniesTheRequestHoweverItIsWritten(String forwardedUri) {
        Policy policy = Policy.compile(List.of(rule(0, "/%41dmin/**", DENY)), null, APP_SCOPES, APP_PERMISSIONS);
        String path = ((NormalizedPath.Valid) PathNormalizer.normalize(forwardedUri)).path();

        assertEquals(DENY, policy.requirementFor("GET", path).access(), path);
    }

    @Test
    void matchedRuleIgnoresTheAppWideScopesAndPermissions() {
        Rule admin = rule(0, "/admin/**", List.of(), AUTHENTICATED, List.of("admin:site"), List.of());
        Policy policy = Policy.compile(List.of(admin), null, APP_SCOPES, APP_PERMISSIONS);

        Requirement requirement = policy.requirementFor("GET", "/admin/users");

        assertEquals(AUTHENTICATED, requirement.access());
        assertEquals(Set.of("admin:site"), requirement.requiredScopes());
        assertEquals(Set.of(), requirement.requiredPermissions());
        assertEquals("rule rules[0] /admin/** requires login", requirement.reason());
    }

    @Test
    void matchedAnonymousRuleIsNotOverruledByRestrictedMethods() {
        Policy policy = Policy.compile(List.of(rule(0, "/public/**", ANONYMOUS)), null, APP_SCOPES, APP_PERMISSIONS);

        assertEquals(ANONYMOUS, policy.requirementFor("DELETE", "/public/x").access());
    }

    @Test
    void requestNoRuleMatchesGetsTheAppWideRequirement() {
        Policy policy = Policy.compile(List.of(rule(0, "/public/**", ANONYMOUS)), null, APP_SCOPES, APP_PERMISSIONS);

        Requirement requirement = policy.requirementFor("GET", "/other");

        assertEquals(AUTHENTICATED, requirement.access());
        assertEquals(APP_SCOPES, requirement.requiredScopes());
        assertEquals(APP_PERMISSIONS, requirement.requiredPermissions());
        assertEquals(Optional.empty(), requirement.rule());
        assertEquals("no rule matched; app requires login", requirement.reason());
    }

    @Test
    void ruleWithMethodsMatchesOnlyThoseMethods() {
        Rule writes = rule(0, "/api/**", List.of("POST", "PUT"), DENY, List.of(), List.of());
        Policy policy = Policy.compile(List.of(writes), Set.of("POST", "PUT"), Set.of(), Set.of());

        assertEquals(DENY, policy.requirementFor("POST", "/api/items").access());
        assertEquals(DENY, policy.requirementFor("PUT", "/api/items").access());
        assertEquals(ANONYMOUS, policy.requirementFor("GET", "/api/items").access());
        assertEquals("rule rules[0] /api/** POST,PUT denies access", policy.requirementFor("PUT", "/api").reason());
    }

    @Test
    void methodsAreComparedExactly() {
        Rule writes = rule(0, "/**", List.of("POST"), DENY, List.of(), List.of());
        Policy policy = Policy.compile(List.of(writes), null, Set.of(), Set.of());

        // "post" is not POST to the servers behind us either; it falls through to "every method needs login".
        Requirement requirement = policy.requirementFor("post", "/x");
        assertEquals(AUTHENTICATED, requirement.access());
        assertEquals(Optional.empty(), requirement.rule());
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "OPTIONS", "PROPFIND", "TRACE", "MKCOL", "BREW"})
    void everyMethodIsRestrictedWhenRestrictedMethodsIsUnset(String method) {
        Policy policy = Policy.compile(List.of(), null, Set.of(), Set.of());

        assertEquals(AUTHENTICATED, policy.requirementFor(method, "/").access());
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "OPTIONS", "PROPFIND", "TRACE"})
    void methodsOutsideTheRestrictedSetPassAnonymously(String method) {
        Policy policy = Policy.compile(List.of(), Set.of("POST", "PUT", "PATCH", "DELETE"), APP_SCOPES, Set.of());

        Requirement requirement = policy.requirementFor(method, "/");

        assertEquals(ANONYMOUS, requirement.access());
        assertEquals(Set.of(), requirement.requiredScopes());
        assertEquals("method " + method + " not restricted", requirement.reason());
    }

    @Test
    void methodsInTheRestrictedSetNeedTheAppWideRequirement() {
        Policy policy = Policy.compile(List.of(), Set.of("POST", "DELETE"), APP_SCOPES, Set.of());

        assertEquals(AUTHENTICATED, policy.requirementFor("POST", "/").access());
        assertEquals(APP_SCOPES, policy.requirementFor("DELETE", "/").requiredScopes());
    }

    @Test
    void emptyRestrictedSetLetsEveryUnmatchedRequestPass() {
        Policy policy = Policy.compile(List.of(), Set.of(), Set.of(), Set.of());

        assertEquals(ANONYMOUS, policy.requirementFor("DELETE", "/").access());
    }

    @Test
    void denyRuleDeniesEveryMethod() {
        Policy policy = Policy.compile(List.of(rule(3, "/secret/**", DENY)), Set.of(), Set.of(), Set.of());

        Requirement requirement = policy.requirementFor("OPTIONS", "/secret");

        assertEquals(DENY, requirement.access());
        assertEquals("rule rules[3] /secret/** denies access", requirement.reason());
    }

    @Test
    void anonymousAndDenyRulesCarryNoScopes() {
        Rule odd = rule(0, "/x/**", List.of(), ANONYMOUS, List.of("never:checked"), List.of("never"));
        Policy policy = Policy.compile(List.of(odd), null, Set.of(), Set.of());

        Requirement requirement = policy.requirementFor("GET", "/x");

        assertTrue(requirement.requiredScopes().isEmpty());
        assertTrue(requirement.requiredPermissions().isEmpty());
    }

    @Test
    void answersAreBuiltOnceNotPerRequest() {
        Policy policy = Policy.compile(List.of(rule(0, "/a/**", ANONYMOUS)), Set.of("POST"), Set.of(), Set.of());

        assertSame(policy.requirementFor("GET", "/a/1"), policy.requirementFor("HEAD", "/a/2"));
        assertSame(policy.requirementFor("POST", "/b"), policy.requirementFor("POST", "/c"));
        assertSame(policy.requirementFor("GET", "/b"), policy.requirementFor("GET", "/c"));
    }

    @Test
    void keepsTheRulesInOrder() {
        Rule first = rule(0, "/a/**", ANONYMOUS);
        Rule second = rule(1, "/b/**", DENY);

        assertEquals(List.of(first, second), Policy.compile(List.of(first, second), null, null, null).rules());
    }
}
