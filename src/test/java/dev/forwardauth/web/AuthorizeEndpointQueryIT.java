package dev.forwardauth.web;

import static dev.forwardauth.web.Logins.AUDIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An authorization endpoint with a query of its own (Azure AD B2C's {@code ?p=policy}, an {@code authorize-url}
 * that adds {@code ui_locales}): the login's parameters follow it after {@code &}, audience included, and the
 * login completes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizeEndpointQueryIT {
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
                  "authorize-url": "%s?p=b2c_1_signin&ui_locales=de",
                  "session-secret": "%s",
                  "default": {
                    "client-id": "forwardauth",
                    "client-secret": "secret",
                    "audience": "%s",
                    "redirect-uri": "https://app.example.com/oauth2/signin"
                  }
                }
                """.formatted(idp.issuerUrl(Logins.ISSUER_ID), idp.authorizationEndpointUrl(Logins.ISSUER_ID),
                Logins.SESSION_SECRET, AUDIENCE));
    }

    @AfterAll
    void stop() throws Exception {
        forwardauth.close();
        idp.shutdown();
    }

    @Test
    void theLoginsParametersFollowTheEndpointsQueryAndTheLoginCompletes() throws Exception {
        TraefikClient browser = new TraefikClient();
        HttpResponse<String> toIdp = Logins.start(browser, forwardauth, APP + "/reports");

        String location = Responses.location(toIdp);
        assertTrue(location.startsWith(idp.authorizationEndpointUrl(Logins.ISSUER_ID) + "?p=b2c_1_signin&ui_locales=de&"),
                location);
        assertEquals(1, location.chars().filter(c -> c == '?').count(), location);
        Map<String, String> query = Responses.query(location);
        assertEquals("de", query.get("ui_locales"));
        assertEquals("b2c_1_signin", query.get("p"));
        assertEquals(AUDIENCE, query.get("audience"));
        assertEquals("forwardauth", query.get("client_id"));

        Logins.login(browser, forwardauth, idp, APP + "/again", Logins.user("alice", Map.of()));
    }
}
