package dev.forwardauth.web;

import static dev.forwardauth.web.Logins.AUDIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Bearer tokens across an IdP key rotation (SPEC 1: signature against the JWKS). The JWKS comes from
 * {@link IdpSidecar}, which publishes mock-oauth2-server's key plus whatever key the test adds; the added
 * keys sign tokens here with Nimbus, under the real issuer. Each test has a fresh forwardauth, since the key
 * cache and its refetch allowance are what is tested.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JwksRotationIT {
    static final String APP = "https://app.example.com";

    MockOAuth2Server idp;
    IdpSidecar sidecar;
    EmbeddedForwardAuth forwardauth;
    String issuer;

    @BeforeAll
    void startIdp() throws Exception {
        idp = new MockOAuth2Server();
        idp.start();
        // The issuer tokens must carry is the discovery document's, as forwardauth reads it.
        issuer = idp.issuerUrl(Logins.ISSUER_ID).toString();
        sidecar = new IdpSidecar(URI.create(idp.jwksUrl(Logins.ISSUER_ID).toString()),
                URI.create(idp.tokenEndpointUrl(Logins.ISSUER_ID).toString()));
    }

    @BeforeEach
    void startForwardAuth() throws Exception {
        forwardauth = new EmbeddedForwardAuth("""
                {
                  "domain": "%s",
                  "jwks-uri": "%s",
                  "session-secret": "%s",
                  "default": {
                    "client-id": "forwardauth",
                    "client-secret": "secret",
                    "audience": "%s",
                    "redirect-uri": "https://app.example.com/oauth2/signin"
                  }
                }
                """.formatted(issuer, sidecar.jwksUri(), Logins.SESSION_SECRET, AUDIENCE));
        // Keys are fetched on the first token, not before: a warm-up elsewhere must not muddle the counts.
        assertEquals(200, bearer(Logins.accessToken(idp, "warm-up", Map.of())).statusCode());
    }

    @AfterEach
    void stopForwardAuth() throws Exception {
        forwardauth.close();
        sidecar.reset();
    }

    @AfterAll
    void stopIdp() {
        sidecar.close();
        idp.shutdown();
    }

    @Test
    void tokenSignedWithAKeyPublishedLaterIsAcceptedAfterOneRefetch() throws Exception {
        RSAKey rotated = rsaKey("rotated-2");
        int fetchesBefore = sidecar.jwksRequests();
        sidecar.publish(rotated);

        HttpResponse<String> first = bearer(sign(rotated, "service-1"));
        HttpResponse<String> second = bearer(sign(rotated, "service-2"));

        assertEquals(200, first.statusCode(), first.body());
        assertEquals("service-1", Responses.header(first, "X-Forwarded-User"));
        assertEquals(200, second.statusCode(), second.body());
        assertEquals(fetchesBefore + 1, sidecar.jwksRequests(), "one refetch for the new kid, then cached");
        // The IdP's old key is still published, and tokens it signed still pass without another fetch.
        assertEquals(200, bearer(Logins.accessToken(idp, "old-key", Map.of())).statusCode());
        assertEquals(fetchesBefore + 1, sidecar.jwksRequests());
    }

    @Test
    void keyTheIdpNeverPublishesIsRefusedAndCannotForceAStreamOfFetches() throws Exception {
        int fetchesBefore = sidecar.jwksRequests();

        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = bearer(sign(rsaKey("forged-" + i), "attacker"));

            assertEquals(401, response.statusCode(), response.body());
            assertTrue(Responses.header(response, "WWW-Authenticate").contains("unknown key"),
                    Responses.header(response, "WWW-Authenticate"));
        }
        assertTrue(sidecar.jwksRequests() <= fetchesBefore + 1, "JWKS fetched " + (sidecar.jwksRequests() - fetchesBefore)
                + " times for 5 forged tokens");
    }

    @Test
    void tokenClaimingThePublishedKidButSignedWithAnotherKeyIsRefused() throws Exception {
        String publishedKid = JWKSet.load(URI.create(idp.jwksUrl(Logins.ISSUER_ID).toString()).toURL())
                .getKeys().get(0).getKeyID();

        HttpResponse<String> response = bearer(sign(rsaKey(publishedKid), "attacker"));

        assertEquals(401, response.statusCode(), response.body());
        assertTrue(Responses.header(response, "WWW-Authenticate").contains("signature"),
                Responses.header(response, "WWW-Authenticate"));
    }

    private HttpResponse<String> bearer(String token) throws Exception {
        return new TraefikClient().authorize(forwardauth.uri("/authorize"), "GET", APP + "/api/items",
                "Accept", "application/json", "Authorization", "Bearer " + token);
    }

    private String sign(RSAKey key, String subject) throws Exception {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(AUDIENCE)
                .subject(subject)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
                .claim("scope", "read:items")
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static RSAKey rsaKey(String kid) throws Exception {
        return new RSAKeyGenerator(2048).keyID(kid).generate();
    }
}
