package dev.forwardauth.web;

import static dev.forwardauth.web.Logins.AUDIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC 4: "IdP needed but unreachable: 503, never 2xx". Each test has its own IdP, since each stops it.
 * Where forwardauth itself must talk to the IdP (discovery, keys, code exchange) the answer is 503; what
 * needs no IdP (a valid session, known keys, an API client's 401) keeps working.
 */
class IdpUnavailableIT {
    static final String APP = "https://app.example.com";

    MockOAuth2Server idp;
    String issuer;
    EmbeddedForwardAuth forwardauth;

    @BeforeEach
    void startIdp() {
        idp = new MockOAuth2Server();
        idp.start();
        issuer = idp.issuerUrl(Logins.ISSUER_ID).toString();
    }

    @AfterEach
    void stop() throws Exception {
        if (forwardauth != null) {
            forwardauth.close();
        }
        idp.shutdown(); // a second shutdown is harmless
    }

    private void startForwardAuth() throws Exception {
        forwardauth = new EmbeddedForwardAuth("""
                {
                  "domain": "%s",
                  "session-secret": "%s",
                  "default": {
                    "client-id": "forwardauth",
                    "client-secret": "secret",
                    "audience": "%s",
                    "redirect-uri": "https://app.example.com/oauth2/signin",
                    "rules": [{"path": "/public/**", "allow": "anonymous"}]
                  }
                }
                """.formatted(issuer, Logins.SESSION_SECRET, AUDIENCE));
    }

    @Test
    void idpDownSinceStartUpGives503WhereALoginOrKeysAreNeeded() throws Exception {
        String token = Logins.accessToken(idp, "service-1", Map.of());
        idp.shutdown();
        startForwardAuth();
        TraefikClient browser = new TraefikClient();

        HttpResponse<String> page = browser.authorize(forwardauth.uri("/authorize"), "GET", APP + "/", "Accept", "text/html");
        HttpResponse<String> bearer = browser.authorize(forwardauth.uri("/authorize"), "GET", APP + "/api",
                "Accept", "application/json", "Authorization", "Bearer " + token);
        HttpResponse<String> api = browser.authorize(forwardauth.uri("/authorize"), "GET", APP + "/api",
                "Accept", "application/json");
        HttpResponse<String> start = browser.route(forwardauth.uri("/"), APP + "/oauth2/start?rd="
                + URLEncoder.encode(APP + "/", StandardCharsets.UTF_8), "Accept", "text/html");

        assertEquals(503, page.statusCode(), page.body());
        assertTrue(Responses.isHtml(page) && page.body().contains("unavailable"), page.body());
        assertFalse(Responses.setsPendingLogin(page));
        assertEquals(503, bearer.statusCode(), bearer.body());
        assertEquals("unavailable", Responses.json(bearer).get("error"));
        // Without discovery no sign-in is possible at all, so the API client is told so rather than sent to
        // a start URL that would answer 503 too.
        assertEquals(503, api.statusCode(), api.body());
        assertEquals(503, start.statusCode(), start.body());
        assertFalse(Responses.setsPendingLogin(start));
    }

    @Test
    void idpDownSinceStartUpStillServesWhatNeedsNoIdp() throws Exception {
        idp.shutdown();
        startForwardAuth();
        TraefikClient client = new TraefikClient();

        HttpResponse<String> anonymous = client.authorize(forwardauth.uri("/authorize"), "GET", APP + "/public/a.css",
                "Accept", "text/html");
        HttpResponse<String> health = client.get(forwardauth.uri("/health"));

        assertEquals(200, anonymous.statusCode(), anonymous.body());
        assertEquals(200, health.statusCode(), health.body());
    }

    @Test
    void idpGoneBeforeTheCallbackGives503AndNoSession() throws Exception {
        startForwardAuth();
        TraefikClient browser = new TraefikClient();
        String callback = Logins.atIdp(browser, Logins.start(browser, forwardauth, APP + "/"));
        idp.shutdown();

        HttpResponse<String> signin = browser.route(forwardauth.uri("/"), callback, "Accept", "text/html");

        assertEquals(503, signin.statusCode(), signin.body());
        assertFalse(Responses.setsSession(signin), signin.headers().allValues("Set-Cookie").toString());
        HttpResponse<String> after = browser.authorize(forwardauth.uri("/authorize"), "GET", APP + "/",
                "Accept", "application/json");
        assertEquals(401, after.statusCode(), after.body());
    }

    @Test
    void idpGoneAfterDiscoveryIs503ForABrowserWithoutSession() throws Exception {
        startForwardAuth();
        TraefikClient browser = new TraefikClient();
        Logins.start(browser, forwardauth, APP + "/"); // discovery done, and the IdP answered
        idp.shutdown();
        Thread.sleep(5_500); // a login start trusts the IdP's last answer for 5 s

        HttpResponse<String> page = new TraefikClient().authorize(forwardauth.uri("/authorize"), "GET", APP + "/",
                "Accept", "text/html");

        // The IdP's endpoints are known, but it does not answer: a redirect there would be a dead end for the
        // user. SPEC 4: the IdP is needed and unreachable, so 503 (and never a 2xx).
        assertEquals(503, page.statusCode(), page.body());
        assertTrue(page.headers().firstValue("Location").isEmpty(), page.headers().map().toString());
    }

    @Test
    void validSessionAndKnownKeysKeepWorkingWhileTheIdpIsDown() throws Exception {
        startForwardAuth();
        TraefikClient browser = new TraefikClient();
        Logins.login(browser, forwardauth, idp, APP + "/", Logins.user("alice", Map.of()));
        String first = Logins.accessToken(idp, "service-1", Map.of());
        String second = Logins.accessToken(idp, "service-2", Map.of());
        assertEquals(200, new TraefikClient().authorize(forwardauth.uri("/authorize"), "GET", APP + "/",
                "Accept", "application/json", "Authorization", "Bearer " + first).statusCode());
        idp.shutdown();

        HttpResponse<String> session = browser.authorize(forwardauth.uri("/authorize"), "GET", APP + "/",
                "Accept", "text/html");
        HttpResponse<String> bearer = new TraefikClient().authorize(forwardauth.uri("/authorize"), "GET", APP + "/",
                "Accept", "application/json", "Authorization", "Bearer " + second);

        assertEquals(200, session.statusCode(), session.body());
        assertEquals("alice", Responses.header(session, "X-Forwarded-User"));
        assertEquals(200, bearer.statusCode(), bearer.body());
        assertEquals("service-2", Responses.header(bearer, "X-Forwarded-User"));
    }
}
