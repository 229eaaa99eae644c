package dev.forwardauth.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.forwardauth.policy.Access;
import dev.forwardauth.policy.Requirement;
import dev.forwardauth.security.token.IdpUnavailableException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** What one app's security answers without any identity provider: URLs, own routes, header names, policy. */
class AppSecurityTest {
    // Nothing here talks to the IdP: building the security never does.
    private final ForwardAuthSecurity security = TestSetup.security(TestSetup.deadIdp(), Clock.systemUTC());
    private final AppSecurity app = security.appFor("app.example.com").orElseThrow();
    private final AppSecurity shared = security.appFor("x.shared.example.com").orElseThrow();

    @Test
    void startUrlIsTheRedirectUriEndingInStartWithTheOriginalUrlAsRd() {
        assertEquals("https://app.example.com/oauth2/start?rd=https%3A%2F%2Fapp.example.com%2Freports%3Fq%3Da+b%26x%3D1",
                app.startUrl("https://app.example.com/reports?q=a b&x=1"));
        assertEquals("https://login.shared.example.com/auth/start?rd=https%3A%2F%2Fx.shared.example.com%2F",
                shared.startUrl("https://x.shared.example.com/"));
    }

    @ParameterizedTest
    @CsvSource({
        "/oauth2/signin, true", "/oauth2/start, true", "/oauth2/signin-admin, false", "/oauth2/signin/x, false",
        "/oauth2/startx, false", "/oauth2/, false", "/signin, false", "/auth/signin, false"})
    void onlyTheExactCallbackAndStartPathsAreOwnRoutes(String path, boolean own) {
        assertEquals(own, app.isOwnRoute(path));
    }

    @Test
    void ownRoutesFollowTheAppsRedirectUri() {
        assertEquals(true, shared.isOwnRoute("/auth/signin"));
        assertEquals(true, shared.isOwnRoute("/auth/start"));
        assertEquals(false, shared.isOwnRoute("/oauth2/signin"));
    }

    @Test
    void claimHeadersAreLowerCaseWithHyphensInConfiguredOrder() {
        assertEquals(List.of(Map.entry("sub", "X-Forwardauth-sub"), Map.entry("email", "X-Forwardauth-email"),
                        Map.entry("Given_Name", "X-Forwardauth-given-name")),
                List.copyOf(app.claimHeaders().entrySet()));
    }

    @Test
    void theAppsRulesBecomeItsPolicy() {
        assertEquals(Access.ANONYMOUS, app.policy().requirementFor("GET", "/public/logo.png").access());
        assertEquals(Access.DENY, app.policy().requirementFor("GET", "/admin/users").access());
        Requirement reports = app.policy().requirementFor("GET", "/reports/q1");
        assertEquals(Access.AUTHENTICATED, reports.access());
        assertEquals(Set.of("read:reports"), reports.requiredScopes());
        assertEquals(Set.of("reports:view"), reports.requiredPermissions());
        assertEquals(2, reports.rule().orElseThrow().index());
        // The /reports rule names GET only: a POST there falls through to the app's default.
        assertEquals("no rule matched; app requires login", app.policy().requirementFor("POST", "/reports/q1").reason());
    }

    @Test
    void appWideRestrictedMethodsAndRequirementsBecomeItsPolicy() {
        assertEquals(Access.ANONYMOUS, shared.policy().requirementFor("GET", "/anything").access());
        Requirement post = shared.policy().requirementFor("POST", "/anything");
        assertEquals(Access.AUTHENTICATED, post.access());
        assertEquals(Set.of("shared"), post.requiredScopes());
    }

    @Test
    void eachAppHasItsOwnNamedClientsAndConfig() {
        assertEquals("oidc@app.example.com", app.clientName());
        assertEquals("oidc@app.example.com", app.oidcClient().getName());
        assertEquals("bearer@app.example.com", app.bearerClient().getName());
        assertEquals("oidc@#default", security.appFor("unknown.example.net").orElseThrow().clientName());
        assertSame(security.config().apps().get(0), app.config());
        assertEquals("https://app.example.com/oauth2/signin", app.oidcClient().getCallbackUrl());
        // Its token check needs the IdP, which is down here: 503, not "invalid".
        assertThrows(IdpUnavailableException.class, () -> app.accessTokens().validate("a.b.c"));
    }
}
