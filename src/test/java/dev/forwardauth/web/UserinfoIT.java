package dev.forwardauth.web;

import static dev.forwardauth.web.Logins.AUDIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** /userinfo (SPEC 4): the session's ID-token profile claims as JSON, never a token; 401 JSON without one. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UserinfoIT {
    static final String APP = "https://app.example.com";

    MockOAuth2Server idp;
    EmbeddedForwardAuth forwardauth;

    @BeforeAll
    void start() throws Exception {
        idp = new MockOAuth2Server();
        idp.start();
        forwardauth = new EmbeddedForwardAuth("""
                {
                  "domain": "%s",
                  "session-secret": "%s",
                  "default": {
                    "client-id": "forwardauth",
                    "client-secret": "secret",
                    "audience": "%s",
                    "scope": "openid profile email offline_access",
                    "redirect-uri": "https://app.example.com/oauth2/signin"
                  }
                }
                """.formatted(idp.issuerUrl(Logins.ISSUER_ID), Logins.SESSION_SECRET, AUDIENCE));
    }

    @AfterAll
    void stop() throws Exception {
        forwardauth.close();
        idp.shutdown();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/oauth2/userinfo", "/userinfo"})
    void profileClaimsWithoutAnyToken(String path) throws Exception {
        TraefikClient browser = new TraefikClient();
        Logins.login(browser, forwardauth, idp, APP + "/", Logins.user("alice", Map.of(
                "name", "Alice", "email", "alice@example.com", "nickname", "ali", "groups", List.of("staff", "ops"))));
        String accessToken = Responses.header(browser.authorize(forwardauth.uri("/authorize"), "GET", APP + "/",
                "Accept", "text/html"), "Authorization").substring("Bearer ".length());

        HttpResponse<String> userinfo = browser.route(forwardauth.uri("/"), APP + path, "Accept", "application/json");

        assertEquals(200, userinfo.statusCode(), userinfo.body());
        assertEquals("no-store", Responses.header(userinfo, "Cache-Control"));
        Map<String, Object> claims = Responses.json(userinfo);
        assertEquals("alice", claims.get("sub"));
        assertEquals("Alice", claims.get("name"));
        assertEquals("alice@example.com", claims.get("email"));
        assertEquals("ali", claims.get("nickname"));
        assertEquals(List.of("staff", "ops"), claims.get("groups"));
        // The ID token's claims as issued: times are numbers (seconds), and nothing of pac4j's own is added.
        assertTrue(claims.get("exp") instanceof Number && claims.get("iat") instanceof Number, claims.toString());
        assertFalse(claims.containsKey("token_expiration_advance"), claims.toString());
        assertFalse(claims.containsKey("nonce"), claims.toString());
        for (String secret : List.of("access_token", "id_token", "refresh_token")) {
            assertFalse(userinfo.body().contains(secret), secret + " in " + userinfo.body());
        }
        assertFalse(userinfo.body().contains(accessToken), userinfo.body());
        // No JWT at all (the ID and refresh tokens of the mock IdP are JWTs or UUIDs; JWTs start with eyJ).
        assertFalse(userinfo.body().contains("eyJ"), userinfo.body());
    }

    @Test
    void aSessionWhoseAccessTokenExpiredButCanBeRenewedStillShowsItsClaims() throws Exception {
        // Until the next /authorize renews it (behind Caddy or nginx the renewed cookie may never arrive), the
        // session stands: "no session" here would be wrong.
        TraefikClient browser = new TraefikClient();
        Logins.login(browser, forwardauth, idp, APP + "/", Logins.user("alice", Map.of("name", "Alice"), 1));
        Thread.sleep(2_100);

        HttpResponse<String> userinfo = browser.route(forwardauth.uri("/"), APP + "/oauth2/userinfo");

        assertEquals(200, userinfo.statusCode(), userinfo.body());
        assertEquals("Alice", Responses.json(userinfo).get("name"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "*/*", "text/html"})
    void withoutSessionIs401Json(String accept) throws Exception {
        HttpResponse<String> userinfo = new TraefikClient().route(forwardauth.uri("/"), APP + "/oauth2/userinfo",
                "Accept", accept);

        assertEquals(401, userinfo.statusCode(), userinfo.body());
        assertEquals("unauthorized", Responses.json(userinfo).get("error"));
        assertTrue(Responses.hasHeader(userinfo, "WWW-Authenticate"));
    }
}
