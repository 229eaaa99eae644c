package dev.forwardauth.security.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.oauth2.sdk.TokenRequest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole chain as the web layer will wire it: discovery, JWKS, validation of tokens a real OIDC server issued. */
class MockIdpAccessTokenTest {
    private static final String AUDIENCE = "https://api.example.com";
    private static final HttpTimeouts PATIENT = new HttpTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30));

    private final MockOAuth2Server idp = new MockOAuth2Server();
    private final IdpCalls calls = new IdpCalls(PATIENT, 4);
    private JwksKeySource keys;
    private TokenValidator validator;

    @BeforeEach
    void start() throws IdpUnavailableException {
        idp.start();
        // Generous timeouts: the in-process server's first answer can take seconds on a busy machine.
        IdpMetadata metadata = new IdpMetadataLoader(PATIENT)
                .load(URI.create(idp.issuerUrl("default").toString()), IdpOverrides.NONE);
        keys = JwksKeySource.remote(metadata.jwksUri(), calls);
        validator = new AccessTokenValidator(metadata.issuer(), AUDIENCE, keys);
    }

    @AfterEach
    void stop() throws Exception {
        keys.close();
        calls.close();
        idp.shutdown();
    }

    @Test
    void jwtWithScopeStringAndPermissions() throws Exception {
        String token = idp.issueToken("default", "auth0|user-1", AUDIENCE,
                Map.of("scope", "openid read:things", "permissions", List.of("read:things", "write:things")), 300)
                .serialize();

        ValidatedAccessToken validated = validator.validate(token);

        assertEquals("auth0|user-1", validated.subject());
        assertEquals("openid read:things", validated.scope());
        assertEquals(List.of("read:things", "write:things"), validated.permissions());
    }

    @Test
    void atJwtWithScpArray() throws Exception {
        String token = idp.issueToken("default", "client-1",
                new Callback("at+jwt", List.of(AUDIENCE), Map.of("scp", List.of("read:things")), 300)).serialize();

        ValidatedAccessToken validated = validator.validate(token);

        assertEquals(List.of("read:things"), validated.scp());
        assertEquals("service-account", validated.subject());
    }

    @Test
    void wrongAudienceExpiredAndForeignTypeAreRejected() {
        assertRejected("access token audience does not include https://api.example.com",
                idp.issueToken("default", "auth0|user-1", "client-id-of-some-app", Map.of(), 300).serialize());
        assertRejected("access token expired",
                idp.issueToken("default", "client-1", new Callback("JWT", List.of(AUDIENCE), Map.of(), -120))
                        .serialize());
        assertRejected("access token type \"id_token+jwt\" is not JWT or at+jwt",
                idp.issueToken("default", "client-1", new Callback("id_token+jwt", List.of(AUDIENCE), Map.of(), 300))
                        .serialize());
    }

    @Test
    void tokenOfAnotherIssuerOnTheSameServerIsRejected() {
        // mock-oauth2-server signs each issuer with its own key, so this fails at the key, before the issuer check
        // (which AccessTokenValidatorTest covers with a shared key).
        assertRejected("access token signed with unknown key",
                idp.issueToken("other", "auth0|user-1", AUDIENCE, Map.of(), 300).serialize());
    }

    private void assertRejected(String message, String token) {
        InvalidAccessTokenException e =
                assertThrows(InvalidAccessTokenException.class, () -> validator.validate(token));
        assertEquals(message, e.getMessage());
    }

    private record Callback(String type, List<String> audience, Map<String, Object> claims, long expirySeconds)
            implements OAuth2TokenCallback {
        @Override
        public String issuerId() {
            return "default";
        }

        @Override
        public String subject(TokenRequest request) {
            return "service-account";
        }

        @Override
        public String typeHeader(TokenRequest request) {
            return type;
        }

        @Override
        public List<String> audience(TokenRequest request) {
            return audience;
        }

        @Override
        public Map<String, Object> addClaims(TokenRequest request) {
            return claims;
        }

        @Override
        public long tokenExpiry() {
            return expirySeconds;
        }
    }
}
