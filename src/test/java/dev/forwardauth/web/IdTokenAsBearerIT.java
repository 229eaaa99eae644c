package dev.forwardauth.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * SPEC 1: the ID token is never used for an authorization decision. With providers whose access tokens name
 * the client id as audience (Authentik, Dex), an ID token has the same iss and aud as an access token; the
 * login's nonce in it gives it away.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdTokenAsBearerIT {
    MockOAuth2Server idp;
    EmbeddedForwardAuth forwardauth;
    final TraefikClient client = new TraefikClient();

    @BeforeAll
    void start() throws Exception {
        idp = new MockOAuth2Server();
        idp.start();
        forwardauth = new EmbeddedForwardAuth("""
                {
                  "domain": "%s",
                  "session-secret": "0123456789abcdef0123456789abcdef",
                  "default": {
                    "client-id": "%s",
                    "audience": "%s",
                    "redirect-uri": "https://app.example.com/oauth2/signin"
                  }
                }
                """.formatted(idp.issuerUrl(Logins.ISSUER_ID), Logins.CLIENT_ID, Logins.CLIENT_ID));
    }

    @AfterAll
    void stop() throws Exception {
        forwardauth.close();
        idp.shutdown();
    }

    @Test
    void anIdTokenSentAsBearerIsRefusedWhenTheAudienceIsTheClientId() throws Exception {
        String idToken = Logins.accessToken(idp, "alice", List.of(Logins.CLIENT_ID), Map.of("nonce", "n-123"), 3600);
        HttpResponse<String> response = client.authorize(forwardauth.uri("/authorize"), "GET",
                "https://app.example.com/", "Authorization", "Bearer " + idToken, "Accept", "application/json");
        assertEquals(401, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("WWW-Authenticate").orElseThrow().contains("ID token"),
                response.headers().map().toString());
    }

    @Test
    void anAccessTokenForTheClientIdStillPasses() throws Exception {
        String accessToken = Logins.accessToken(idp, "alice", List.of(Logins.CLIENT_ID), Map.of(), 3600);
        HttpResponse<String> response = client.authorize(forwardauth.uri("/authorize"), "GET",
                "https://app.example.com/", "Authorization", "Bearer " + accessToken, "Accept", "application/json");
        assertEquals(200, response.statusCode(), response.body());
    }
}
