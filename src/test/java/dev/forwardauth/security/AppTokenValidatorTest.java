package dev.forwardauth.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.forwardauth.security.token.IdpUnavailableException;
import dev.forwardauth.security.token.InvalidAccessTokenException;
import dev.forwardauth.security.token.Telemetry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One app's access-token check against a real OIDC server's keys and issuer (mock-oauth2-server). */
class AppTokenValidatorTest {
    // Made in @BeforeAll, not in the field: a stopped server cannot start again, and PIT runs a class many times
    // in one JVM.
    private static MockOAuth2Server server;

    @BeforeAll
    static void start() {
        server = new MockOAuth2Server();
        server.start();
    }

    @AfterAll
    static void stop() {
        server.shutdown();
    }

    @Test
    void whereTheApiIsTheClientIdAnIdTokenIsRefused() throws Exception {
        AppTokenValidator validator = validator("app-client", "app-client");
        assertEquals("access token is an ID token (it has a nonce claim); ID tokens are never used for authorization",
                assertThrows(InvalidAccessTokenException.class,
                        () -> validator.validate(token("app-client", Map.of("nonce", "n-1")))).getMessage());
        assertEquals("alice", validator.validate(token("app-client", Map.of())).subject());
    }

    @Test
    void whereTheApiIsItsOwnAudienceANonceClaimIsJustAClaim() throws Exception {
        AppTokenValidator validator = validator(TestSetup.AUDIENCE, "app-client");
        assertEquals("n-1", validator.validate(token(TestSetup.AUDIENCE, Map.of("nonce", "n-1"))).claims().get("nonce"));
    }

    @Test
    void tokensAreCheckedForTheAppsAudienceAndTheIdpsIssuer() throws Exception {
        AppTokenValidator validator = validator(TestSetup.AUDIENCE, "app-client");
        assertEquals("access token audience does not include https://api.example.com",
                assertThrows(InvalidAccessTokenException.class,
                        () -> validator.validate(token("https://other.example.com", Map.of()))).getMessage());
        String valid = token(TestSetup.AUDIENCE, Map.of("scope", "read"));
        assertEquals("read", validator.validate(valid).scope());
        assertEquals("read", validator.validate(valid).scope(), "and again, from the cache");
    }

    @Test
    void theValidatorIsBuiltOnFirstUseSoAnIdpDownAtStartIsA503Later() {
        IdentityProvider dead = TestSetup.idp(TestSetup.deadIdp(), Clock.systemUTC());
        AppTokenValidator validator = new AppTokenValidator(dead, TestSetup.AUDIENCE, "app-client", Telemetry.NONE);
        assertThrows(IdpUnavailableException.class, () -> validator.validate(token(TestSetup.AUDIENCE, Map.of())));
    }

    private static AppTokenValidator validator(String audience, String clientId) {
        IdentityProvider idp = TestSetup.idp(server.issuerUrl("default").toString(), Clock.systemUTC());
        return new AppTokenValidator(idp, audience, clientId, Telemetry.NONE);
    }

    private static String token(String audience, Map<String, Object> claims) {
        return server.issueToken("default", "app-client",
                new DefaultOAuth2TokenCallback("default", "alice", "JWT", List.of(audience), claims, 300)).serialize();
    }
}
