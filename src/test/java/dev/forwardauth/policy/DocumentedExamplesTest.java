package dev.forwardauth.policy;

import static dev.forwardauth.policy.Access.ANONYMOUS;
import static dev.forwardauth.policy.Access.AUTHENTICATED;
import static dev.forwardauth.policy.Access.DENY;
import static dev.forwardauth.policy.TestRules.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.forwardauth.policy.NormalizedPath.Rejected;
import dev.forwardauth.policy.NormalizedPath.Valid;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

// The worked examples of docs/policy.md, written as the config layer would compile them, with the outcomes
// the document promises. When one of these changes, the document changes with it.
class DocumentedExamplesTest {

    private static final Grants LOGGED_IN = Grants.fromClaims("openid profile", null, List.of());

    // "200", "login", "403 ..." or "400 ...", as /authorize would answer.
    static String outcome(Policy policy, String method, String uri, Grants grants) {
        NormalizedPath normalized = PathNormalizer.normalize(uri);
        if (normalized instanceof Rejected rejected) {
            return "400 " + rejected.message();
        }
        Requirement requirement = policy.requirementFor(method, ((Valid) normalized).path());
        return switch (requirement.access()) {
            case ANONYMOUS -> "200";
            case DENY -> "403";
            case AUTHENTICATED -> grants == null ? "login" : verdict(requirement.check(grants));
        };
    }

    private static String verdict(Verdict verdict) {
        if (verdict instanceof Verdict.Missing missing) {
            return "403 missing scopes " + missing.scopes() + " permissions " + missing.permissions();
        }
        return "200";
    }

    @Test
    void publicAssets() {
        Policy policy = Policy.compile(List.of(
                rule(0, "/assets/**", ANONYMOUS),
                rule(1, "/favicon.ico", ANONYMOUS),
                rule(2, "/**/*.css", List.of("GET", "HEAD"), ANONYMOUS, List.of(), List.of())), null, null, null);

        assertEquals("200", outcome(policy, "GET", "/assets/app.js", null));
        assertEquals("200", outcome(policy, "POST", "/assets/upload", null));
        assertEquals("200", outcome(policy, "GET", "/blog/print.css", null));
        assertEquals("login", outcome(policy, "PUT", "/blog/print.css", null));
        assertEquals("login", outcome(policy, "GET", "/assets/../admin", null));
        assertEquals("login", outcome(policy, "GET", "/assets/%2e%2e/admin", null));
        assertEquals("400 X-Forwarded-Uri: \";\" (a path parameter) is not allowed in a path",
                outcome(policy, "GET", "/assets/..;/admin", null));
    }

    @Test
    void anonymousReadsAuthenticatedWritesByRestrictedMethods() {
        Policy policy = Policy.compile(List.of(), Set.of("POST", "PUT", "PATCH", "DELETE"), null, null);

        assertEquals("200", outcome(policy, "GET", "/pages/home", null));
        assertEquals("200", outcome(policy, "PROPFIND", "/pages/", null));
        assertEquals("login", outcome(policy, "POST", "/pages/home", null));
        assertEquals("method PROPFIND not restricted", policy.requirementFor("PROPFIND", "/pages/").reason());
    }

    @Test
    void anonymousReadsAuthenticatedWritesByRule() {
        Policy policy = Policy.compile(List.of(
                rule(0, "/**", List.of("GET", "HEAD", "OPTIONS"), ANONYMOUS, List.of(), List.of())), null, null, null);

        assertEquals("200", outcome(policy, "GET", "/pages/home", null));
        assertEquals("login", outcome(policy, "PROPFIND", "/pages/", null));
        assertEquals("login", outcome(policy, "POST", "/pages/home", null));
    }

    @Test
    void adminAreaByScope() {
        Policy policy = Policy.compile(List.of(
                rule(0, "/admin/**", List.of(), AUTHENTICATED, List.of("admin:site"), List.of())), null, null, null);
        Grants admin = Grants.fromClaims("openid admin:site", null, null);

        assertEquals("200", outcome(policy, "GET", "/admin", admin));
        assertEquals("403 missing scopes [admin:site] permissions []", outcome(policy, "GET", "/admin/users", LOGGED_IN));
        assertEquals("200", outcome(policy, "GET", "/Admin/users", LOGGED_IN));
        assertEquals("200", outcome(policy, "GET", "/reports", LOGGED_IN));
        assertEquals("403 missing scopes [admin:site] permissions []", outcome(policy, "GET", "//admin/users", LOGGED_IN));
    }

    @Test
    void writeMethodsByPermission() {
        Policy policy = Policy.compile(List.of(
                        rule(0, "/items/**", List.of("POST", "PUT", "PATCH"), AUTHENTICATED, List.of(), List.of("write:items")),
                        rule(1, "/items/**", List.of("DELETE"), AUTHENTICATED, List.of(), List.of("write:items", "delete:items")),
                        rule(2, "/items/**", AUTHENTICATED)),
                null, null, Set.of("use:api"));

        assertEquals("200", outcome(policy, "GET", "/items/42", permissions()));
        assertEquals("200", outcome(policy, "PUT", "/items/42", permissions("write:items")));
        assertEquals("403 missing scopes [] permissions [write:items]",
                outcome(policy, "PUT", "/items/42", permissions("read:items")));
        assertEquals("403 missing scopes [] permissions [delete:items]",
                outcome(policy, "DELETE", "/items/42", permissions("write:items")));
        assertEquals("403 missing scopes [] permissions [write:items, delete:items]",
                outcome(policy, "DELETE", "/items/42", permissions()));
        assertEquals("403 missing scopes [] permissions [use:api]", outcome(policy, "GET", "/status", permissions()));
    }

    @Test
    void deniedPath() {
        Policy policy = Policy.compile(List.of(
                rule(0, "/actuator/**", DENY),
                rule(1, "/**/*.bak", DENY),
                rule(2, "/public/**", ANONYMOUS)), null, null, null);

        assertEquals("403", outcome(policy, "GET", "/actuator/env", LOGGED_IN));
        assertEquals("rule rules[0] /actuator/** denies access", policy.requirementFor("GET", "/actuator/env").reason());
        assertEquals("403", outcome(policy, "GET", "/actuator", LOGGED_IN));
        assertEquals("403", outcome(policy, "GET", "/public/../actuator/env", null));
        assertEquals("403", outcome(policy, "GET", "/public/%2e%2e/actuator/env", null));
        assertEquals("400 X-Forwarded-Uri: encoded \"/\" (%2F) is not allowed in a path",
                outcome(policy, "GET", "/public%2f..%2factuator/env", null));
        assertEquals("403", outcome(policy, "GET", "/public/db.bak", null));
        assertEquals("200", outcome(policy, "GET", "/public/index.html", null));
    }

    private static Grants permissions(String... granted) {
        return Grants.fromClaims("openid", null, List.of(granted));
    }
}
