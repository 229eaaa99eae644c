package dev.forwardauth.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.forwardauth.security.token.SessionTokenReader;
import dev.forwardauth.security.token.ValidatedAccessToken;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pac4j.oidc.profile.OidcProfile;

/** The identity headers a proxy copies upstream, for a bearer caller and for a browser session. */
class IdentitiesTest {
    private final ForwardAuthSecurity security = TestSetup.security(TestSetup.deadIdp(), Clock.systemUTC());
    private final AppSecurity app = security.appFor("app.example.com").orElseThrow();

    @Test
    void aBearerCallerIsTheTokensSubjectWithClaimsFromTheAccessToken() throws Exception {
        String raw = accessToken(Map.of("sub", "svc-1", "email", "svc@example.com", "Given_Name", List.of("A", "B")));
        AccessTokenProfile profile = new AccessTokenProfile(validated(raw), raw);

        Identity identity = Identities.of(profile, app);

        assertEquals(raw, identity.accessToken());
        assertEquals("svc-1", identity.subject());
        assertEquals(Map.of("X-Forwardauth-sub", "svc-1", "X-Forwardauth-email", "svc@example.com",
                "X-Forwardauth-given-name", "A,B"), identity.claimHeaders());
        assertEquals(List.of("X-Forwardauth-sub", "X-Forwardauth-email", "X-Forwardauth-given-name"),
                List.copyOf(identity.claimHeaders().keySet()), "in configured order");
    }

    @Test
    void aClaimTheTokenDoesNotHaveSendsNoHeader() throws Exception {
        String raw = accessToken(Map.of("sub", "svc-1"));
        Identity identity = Identities.of(new AccessTokenProfile(validated(raw), raw), app);
        assertEquals(Map.of("X-Forwardauth-sub", "svc-1"), identity.claimHeaders());
    }

    @Test
    void aClientCredentialsTokenWithoutSubjectIsNamedByItsClient() throws Exception {
        String azp = accessToken(Map.of("azp", "machine-a", "client_id", "machine-b"));
        assertEquals("machine-a", new AccessTokenProfile(validated(azp), azp).getId());
        String clientId = accessToken(Map.of("client_id", "machine-b"));
        assertEquals("machine-b", new AccessTokenProfile(validated(clientId), clientId).getId());
        String anonymous = accessToken(Map.of());
        assertEquals("unknown", new AccessTokenProfile(validated(anonymous), anonymous).getId());
    }

    @Test
    void theBearerProfileKeepsTheTokenItWasMadeFrom() throws Exception {
        String raw = accessToken(Map.of("sub", "svc-1", "scope", "read"));
        AccessTokenProfile profile = new AccessTokenProfile(validated(raw), raw);
        assertEquals(raw, profile.rawToken());
        assertEquals("read", profile.token().scope());
    }

    @Test
    void aBrowserSessionSendsItsAccessTokenAndTheIdTokensClaims() {
        OidcProfile alice = Sessions.profile(app.clientName(), "alice", Instant.now().plusSeconds(300), Map.of(), false);

        Identity identity = Identities.of(alice, app);

        assertEquals(alice.getAccessToken().getValue(), identity.accessToken());
        assertEquals("alice", identity.subject());
        // pac4j keeps the ID token's sub as the id, not as an attribute: the header still carries it.
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("X-Forwardauth-sub", "alice");
        expected.put("X-Forwardauth-email", "alice@example.com");
        expected.put("X-Forwardauth-given-name", "Alice");
        assertEquals(List.copyOf(expected.entrySet()), List.copyOf(identity.claimHeaders().entrySet()));
    }

    @Test
    void aSubAttributeIsSentAsItIs() {
        OidcProfile alice = Sessions.profile(app.clientName(), "alice", Instant.now().plusSeconds(300), Map.of(), false);
        alice.addAttribute("sub", "alice-from-claims");
        assertEquals("alice-from-claims", Identities.of(alice, app).claimHeaders().get("X-Forwardauth-sub"));
    }

    @Test
    void aProfileWithoutAccessTokenHasNoIdentity() {
        OidcProfile noToken = new OidcProfile();
        noToken.setId("alice");
        assertNull(Identities.of(noToken, app));
        assertNull(Identities.of(new org.pac4j.core.profile.CommonProfile(), app));
    }

    private static String accessToken(Map<String, Object> claims) {
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().expirationTime(Date.from(Instant.now().plusSeconds(300)));
        claims.forEach(builder::claim);
        return Sessions.jwt(builder.build());
    }

    private static ValidatedAccessToken validated(String raw) throws Exception {
        return new SessionTokenReader(Clock.systemUTC()).validate(raw);
    }
}
