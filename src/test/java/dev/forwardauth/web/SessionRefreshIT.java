package dev.forwardauth.web;

import static dev.forwardauth.web.Logins.AUDIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Silent renewal (SPEC 1: refresh tokens renew a session, never go upstream). Access tokens live a few
 * seconds; the IdP's token endpoint is reached through {@link IdpSidecar}, which can drop the refresh token,
 * reject it, or be down.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionRefreshIT {
    static final String APP = "https://app.example.com";
    static final long LIFETIME_SECONDS = 3;

    MockOAuth2Server idp;
    IdpSidecar sidecar;
    EmbeddedForwardAuth forwardauth;

    @BeforeAll
    void start() throws Exception {
        idp = new MockOAuth2Server();
        idp.start();
        sidecar = new IdpSidecar(URI.create(idp.jwksUrl(Logins.ISSUER_ID).toString()),
                URI.create(idp.tokenEndpointUrl(Logins.ISSUER_ID).toString()));
        forwardauth = new EmbeddedForwardAuth("""
                {
                  "domain": "%s",
                  "token-endpoint": "%s",
                  "session-secret": "%s",
                  "default": {
                    "client-id": "forwardauth",
                    "client-secret": "secret",
                    "audience": "%s",
                    "scope": "openid profile email offline_access",
                    "redirect-uri": "https://app.example.com/oauth2/signin"
                  }
                }
                """.formatted(idp.issuerUrl(Logins.ISSUER_ID), sidecar.tokenUri(), Logins.SESSION_SECRET, AUDIENCE));
    }

    @AfterEach
    void resetSidecar() {
        sidecar.reset();
    }

    @AfterAll
    void stop() throws Exception {
        forwardauth.close();
        sidecar.close();
        idp.shutdown();
    }

    @Test
    void expiredAccessTokenIsRenewedAndTheNewSessionCookieRidesOnThe200() throws Exception {
        TraefikClient browser = new TraefikClient();
        String firstToken = signInAndWaitForExpiry(browser);
        int grantsBefore = sidecar.grantTypes().size();

        HttpResponse<String> renewed = browser.authorize(forwardauth.uri("/authorize"), "GET", APP + "/",
                "Accept", "text/html");

        assertEquals(200, renewed.statusCode(), renewed.body());
        assertEquals(List.of("refresh_token"), sidecar.grantTypes().subList(grantsBefore, sidecar.grantTypes().size()));
        String renewedToken = bearer(renewed);
        assertNotEquals(firstToken, renewedToken);
        assertTrue(SignedJWT.parse(renewedToken).getJWTClaimsSet().getExpirationTime().toInstant().isAfter(Instant.now()));
        assertTrue(Responses.setsSession(renewed), renewed.headers().allValues("Set-Cookie").toString());
        Map<String, String> attributes = Responses.cookieAttributes(
                Responses.setCookie(renewed, Responses.SESSION_COOKIE).orElseThrow());
        assertTrue(attributes.containsKey("httponly") && attributes.containsKey("secure"), attributes.toString());
        assertEquals("Lax", attributes.get("samesite"));

        // The renewed cookie is used as it is: no second refresh while the new token is valid.
        HttpResponse<String> next = browser.authorize(forwardauth.uri("/authorize"), "GET", APP + "/",
                "Accept", "application/json");
        assertEquals(200, next.statusCode(), next.body());
        assertEquals(renewedToken, bearer(next));
        assertEquals(grantsBefore + 1, sidecar.grantTypes().size());
        assertFalse(next.headers().allValues("Authorization").stream().anyMatch(v -> !v.startsWith("Bearer ey")),
                "the refresh token never goes upstream");
    }

    @Test
    void apiClientWithAnExpiredSessionIsRenewedToo() throws Exception {
        TraefikClient browser = new TraefikClient();
        signInAndWaitForExpiry(browser);

        HttpResponse<String> renewed = browser.authorize(forwardauth.uri("/authorize"), "GET", APP + "/api/x",
                "Accept", "application/json", "X-Requested-With", "XMLHttpRequest");

        assertEquals(200, renewed.statusCode(), renewed.body());
        assertTrue(Responses.setsSession(renewed));
    }

    @Test
    void withoutRefreshTokenAnExpiredSessionMeansSigningInAgain() throws Exception {
        sidecar.stripRefreshTokens(true);
        TraefikClient browser = new TraefikClient();
        HttpResponse<String> signin = Logins.login(browser, forwardauth, idp, APP + "/",
                Logins.user("alice", Map.of(), LIFETIME_SECONDS));
        // The session cookie itself ends with the access token it cannot renew.
        long maxAge = Long.parseLong(Responses.cookieAttributes(
                Responses.setCookie(signin, Responses.SESSION_COOKIE).orElseThrow()).get("max-age"));
        assertTrue(maxAge <= LIFETIME_SECONDS, "Max-Age " + maxAge);
        // The test client keeps sending the cookie after its Max-Age, as a careless client would: forwardauth
        // must enforce the expiry sealed inside it.
        Thread.sleep((maxAge + 1) * 1000 + 200);
        int grantsBefore = sidecar.grantTypes().size();

        HttpResponse<String> page = browser.authorize(forwardauth.uri("/authorize"), "GET", APP + "/",
                "Accept", "text/html");
        HttpResponse<String> api = browser.authorize(forwardauth.uri("/authorize"), "GET", APP + "/",
                "Accept", "application/json");

        assertEquals(307, page.statusCode(), page.body());
        assertTrue(Responses.location(page).startsWith(idp.authorizationEndpointUrl(Logins.ISSUER_ID).toString()));
        assertEquals(401, api.statusCode(), api.body());
        assertEquals(grantsBefore, sidecar.grantTypes().size(), "nothing to refresh with");
    }

    @Test
    void refreshTokenRejectedByTheIdpMeansSigningInAgain() throws Exception {
        TraefikClient browser = new TraefikClient();
        signInAndWaitForExpiry(browser);
        sidecar.rejectRefreshTokens(true);

        HttpResponse<String> page = browser.authorize(forwardauth.uri("/authorize"), "GET", APP + "/",
                "Accept", "text/html");

        assertEquals(307, page.statusCode(), page.body());
        assertFalse(Responses.setsSession(page));
    }

    @Test
    void idpDownDuringRenewalAnswers503AndKeepsTheSessionForLater() throws Exception {
        TraefikClient browser = new TraefikClient();
        signInAndWaitForExpiry(browser);
        sidecar.tokenEndpointDown(true);

        HttpResponse<String> page = browser.authorize(forwardauth.uri("/authorize"), "GET", APP + "/",
                "Accept", "text/html");
        HttpResponse<String> api = browser.authorize(forwardauth.uri("/authorize"), "GET", APP + "/",
                "Accept", "application/json");

        assertEquals(503, page.statusCode(), page.body());
        assertEquals(503, api.statusCode(), api.body());
        assertEquals("unavailable", Responses.json(api).get("error"));
        // An outage must not log the user out: the cookie is neither deleted nor replaced.
        assertEquals(List.of(), page.headers().allValues("Set-Cookie"));
        assertEquals(List.of(), api.headers().allValues("Set-Cookie"));

        sidecar.tokenEndpointDown(false);
        HttpResponse<String> back = browser.authorize(forwardauth.uri("/authorize"), "GET", APP + "/",
                "Accept", "text/html");
        assertEquals(200, back.statusCode(), back.body());
        assertTrue(Responses.setsSession(back));
    }

    /** Signs in with a short-lived access token and waits until it has expired; returns that token. */
    private String signInAndWaitForExpiry(TraefikClient browser) throws Exception {
        Logins.login(browser, forwardauth, idp, APP + "/", Logins.user("alice", Map.of("name", "Alice"),
                LIFETIME_SECONDS));
        HttpResponse<String> fresh = browser.authorize(forwardauth.uri("/authorize"), "GET", APP + "/",
                "Accept", "text/html");
        assertEquals(200, fresh.statusCode(), fresh.body());
        String token = bearer(fresh);
        waitForExpiry(token);
        return token;
    }

    private static void waitForExpiry(String accessToken) throws Exception {
        Instant exp = SignedJWT.parse(accessToken).getJWTClaimsSet().getExpirationTime().toInstant();
        // pac4j reckons expiry from expires_in at the token response, a moment after the JWT's iat.
        Duration wait = Duration.between(Instant.now(), exp.plusMillis(1200));
        if (!wait.isNegative()) {
            Thread.sleep(wait.toMillis());
        }
    }

    private static String bearer(HttpResponse<String> response) {
        String authorization = Responses.header(response, "Authorization");
        assertTrue(authorization.startsWith("Bearer "), authorization);
        return authorization.substring("Bearer ".length());
    }
}
