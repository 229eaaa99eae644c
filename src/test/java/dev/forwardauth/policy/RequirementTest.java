package dev.forwardauth.policy;

import static dev.forwardauth.policy.Access.ANONYMOUS;
import static dev.forwardauth.policy.Access.AUTHENTICATED;
import static dev.forwardauth.policy.Access.DENY;
import static dev.forwardauth.policy.TestRules.ordered;
import static dev.forwardauth.policy.TestRules.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequirementTest {

    private final Requirement admin = Requirement.forRule(rule(0, "/admin/**", List.of(), AUTHENTICATED,
            List.of("admin:site", "read:users", "write:users"), List.of("delete:users", "audit")));

    @Test
    void grantsWithEverythingRequiredAreAllowed() {
        Grants grants = new Grants(Set.of("admin:site", "read:users", "write:users", "extra"),
                Set.of("delete:users", "audit"));

        assertSame(Verdict.ALLOWED, admin.check(grants));
    }

    @Test
    void missingListsExactlyWhatIsMissingInConfiguredOrder() {
        Grants grants = new Grants(Set.of("read:users", "unrelated"), Set.of("audit"));

        assertEquals(new Verdict.Missing(List.of("admin:site", "write:users"), List.of("delete:users")),
                admin.check(grants));
    }

    @Test
    void noGrantsMissEverything() {
        assertEquals(new Verdict.Missing(List.of("admin:site", "read:users", "write:users"),
                List.of("delete:users", "audit")), admin.check(Grants.NONE));
    }

    @Test
    void onlyPermissionsMissing() {
        Grants grants = new Grants(Set.of("admin:site", "read:users", "write:users"), Set.of("delete:users"));

        assertEquals(new Verdict.Missing(List.of(), List.of("audit")), admin.check(grants));
    }

    @Test
    void loginWithoutRequiredItemsNeedsNoGrants() {
        Requirement login = Requirement.appRequiresLogin(Set.of(), Set.of());

        assertSame(Verdict.ALLOWED, login.check(Grants.NONE));
    }

    @Test
    void anonymousNeedsNoGrants() {
        assertSame(Verdict.ALLOWED, Requirement.notRestricted("GET").check(Grants.NONE));
    }

    @Test
    void checkingADenyIsACallerBug() {
        Requirement deny = Requirement.forRule(rule(0, "/x", DENY));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> deny.check(Grants.NONE));
        assertEquals("a denied request is refused before any token is checked", e.getMessage());
    }

    @Test
    void scopesOnlyBelongToAuthenticatedRequirements() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Requirement(ANONYMOUS, ordered(List.of("a")), Set.of(), Optional.empty(), "x"));
        assertEquals("anonymous takes no required scopes or permissions", e.getMessage());
    }
}
