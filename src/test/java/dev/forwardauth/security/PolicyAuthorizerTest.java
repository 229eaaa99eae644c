package dev.forwardauth.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.forwardauth.forward.ForwardedRequest;
import dev.forwardauth.policy.Verdict;
import dev.forwardauth.security.token.SessionTokenReader;
import dev.forwardauth.security.token.Telemetry;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pac4j.core.context.MockWebContext;
import org.pac4j.core.profile.UserProfile;
import org.pac4j.oidc.profile.OidcProfile;

/** pac4j's authorization step as the security filter runs it: the request's requirement against the access token. */
class PolicyAuthorizerTest {
    private final ForwardAuthSecurity security = TestSetup.security(TestSetup.deadIdp(), Clock.systemUTC());
    private final AppSecurity app = security.appFor("app.example.com").orElseThrow();
    private final PolicyAuthorizer authorizer =
            (PolicyAuthorizer) security.pac4j().getAuthorizers().get(PolicyAuthorizer.NAME);

    @Test
    void anonymousPathsPassWithoutLookingAtAnyProfile() {
        MockWebContext request = request("GET", "/public/logo.png");
        assertTrue(authorizer.isAuthorized(request, null, List.of()));
    }

    @Test
    void deniedPathsNeverPass() {
        MockWebContext request = request("GET", "/admin/users");
        assertFalse(authorizer.isAuthorized(request, null, List.of(bearer(Map.of("scope", "read:reports")))));
    }

    @Test
    void aBearerTokenWithTheRequiredScopeAndPermissionPasses() throws Exception {
        MockWebContext request = request("GET", "/reports/q1");
        assertTrue(authorizer.isAuthorized(request, null,
                List.of(bearer(Map.of("scope", "openid read:reports", "permissions", List.of("reports:view"))))));
        assertEquals(Optional.empty(), request.getRequestAttribute(PolicyAuthorizer.MISSING_ATTRIBUTE));
    }

    @Test
    void whatIsMissingIsLeftForThe403() throws Exception {
        MockWebContext request = request("GET", "/reports/q1");
        assertFalse(authorizer.isAuthorized(request, null,
                List.of(bearer(Map.of("scp", List.of("read:reports"), "permissions", List.of("reports:edit"))))));
        assertEquals(Optional.of(new Verdict.Missing(List.of(), List.of("reports:view"))),
                request.getRequestAttribute(PolicyAuthorizer.MISSING_ATTRIBUTE));
    }

    @Test
    void aLoginWithoutRequirementsPassesWithAnyToken() throws Exception {
        assertTrue(authorizer.isAuthorized(request("GET", "/home"), null, List.of(bearer(Map.of()))));
    }

    @Test
    void aSessionIsJudgedByItsAccessToken() {
        OidcProfile granted = Sessions.profile(app.clientName(), "alice", Instant.now().plusSeconds(300),
                Map.of("scope", "read:reports", "permissions", List.of("reports:view")), false);
        assertTrue(authorizer.isAuthorized(request("GET", "/reports/q1"), null, List.of(granted)));
        OidcProfile notGranted = Sessions.profile(app.clientName(), "alice", Instant.now().plusSeconds(300),
                Map.of("scope", "read:other"), false);
        assertFalse(authorizer.isAuthorized(request("GET", "/reports/q1"), null, List.of(notGranted)));
    }

    @Test
    void aSessionWhoseAccessTokenExpiredGrantsNothing() {
        OidcProfile expired = Sessions.profile(app.clientName(), "alice", Instant.now().minusSeconds(5),
                Map.of("scope", "read:reports", "permissions", List.of("reports:view")), true);
        MockWebContext request = request("GET", "/reports/q1");
        assertFalse(authorizer.isAuthorized(request, null, List.of(expired)));
        assertEquals(Optional.of(new Verdict.Missing(List.of("read:reports"), List.of("reports:view"))),
                request.getRequestAttribute(PolicyAuthorizer.MISSING_ATTRIBUTE));
    }

    @Test
    void aProfileWithoutAccessTokenGrantsNothing() {
        OidcProfile noToken = new OidcProfile();
        noToken.setId("alice");
        MockWebContext request = request("GET", "/reports/q1");
        assertFalse(authorizer.isAuthorized(request, null, List.of(noToken)));
        assertEquals(Optional.of(new Verdict.Missing(List.of("read:reports"), List.of("reports:view"))),
                request.getRequestAttribute(PolicyAuthorizer.MISSING_ATTRIBUTE));
    }

    @Test
    void anUnreachableIdentityProviderIsA503NotADenial() {
        IdentityProvider dead = TestSetup.idp(TestSetup.deadIdp(), Clock.systemUTC());
        PolicyAuthorizer needsIdp = new PolicyAuthorizer(new AppTokenValidator(dead, TestSetup.AUDIENCE, "app-client", Telemetry.NONE));
        OidcProfile alice = Sessions.profile(app.clientName(), "alice", Instant.now().plusSeconds(300), Map.of(), false);
        assertThrows(IdpUnavailableError.class,
                () -> needsIdp.isAuthorized(request("GET", "/reports/q1"), null, List.of(alice)));
    }

    private MockWebContext request(String method, String path) {
        MockWebContext context = MockWebContext.create();
        context.setRequestAttribute(RequestScope.ATTRIBUTE, new RequestScope(security,
                new ForwardedRequest(method, "https", "app.example.com", "app.example.com", "", path),
                app, path, app.policy().requirementFor(method, path), false));
        return context;
    }

    private static UserProfile bearer(Map<String, Object> claims) {
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().subject("svc")
                .expirationTime(Date.from(Instant.now().plusSeconds(300)));
        claims.forEach(builder::claim);
        String raw = Sessions.jwt(builder.build());
        try {
            return new AccessTokenProfile(new SessionTokenReader(Clock.systemUTC()).validate(raw), raw);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
