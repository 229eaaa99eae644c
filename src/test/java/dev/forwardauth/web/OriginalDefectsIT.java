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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Defects of the original implementation that must not come back, each shown the way it hurt: through
 * /authorize and /signin as Traefik and a browser use them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OriginalDefectsIT {
    MockOAuth2Server idp;
    /** `default` lets everything through; app.example.com and root.example.com need a login for everything. */
    EmbeddedForwardAuth forwardauth;
    /** Only a `default`, which needs a login, and no cookie domain: it serves any host. */
    EmbeddedForwardAuth defaultOnly;

    @BeforeAll
    void start() throws Exception {
        idp = new MockOAuth2Server();
        idp.start();
        forwardauth = new EmbeddedForwardAuth("""
                {
                  "domain": "%1$s",
                  "session-secret": "%2$s",
                  "default": {
                    "client-id": "permissive-client",
                    "client-secret": "secret",
                    "audience": "%3$s",
                    "redirect-uri": "https://auth.example.com/oauth2/signin",
                    "rules": [{"path": "/**", "allow": "anonymous"}]
                  },
                  "apps": [
                    {"name": "app.example.com", "client-id": "forwardauth", "rules": [],
                     "redirect-uri": "https://app.example.com/oauth2/signin"},
                    {"name": "root.example.com", "client-id": "forwardauth", "rules": [],
                     "redirect-uri": "https://root.example.com/signin"}
                  ]
                }
                """.formatted(idp.issuerUrl(Logins.ISSUER_ID), Logins.SESSION_SECRET, AUDIENCE));
        defaultOnly = new EmbeddedForwardAuth("""
                {
                  "domain": "%s",
                  "session-secret": "%s",
                  "default": {
                    "client-id": "forwardauth",
                    "client-secret": "secret",
                    "audience": "%s",
                    "redirect-uri": "https://app.example.com/oauth2/signin"
                  }
                }
                """.formatted(idp.issuerUrl(Logins.ISSUER_ID), Logins.SESSION_SECRET, AUDIENCE));
    }

    @AfterAll
    void stop() throws Exception {
        forwardauth.close();
        defaultOnly.close();
        idp.shutdown();
    }

    // --- 1. The Host's port took part in app selection, so app.example.com:443 fell back to `default`. ---

    @ParameterizedTest
    @ValueSource(strings = {"app.example.com:443", "app.example.com:8443", "APP.Example.COM:443", "app.example.com.",
            "app.example.com.:443"})
    void hostWithPortOrInAnotherSpellingSelectsTheStrictApp(String host) throws Exception {
        HttpResponse<String> page = authorize(forwardauth, host, "GET", "/private", "text/html");
        HttpResponse<String> api = authorize(forwardauth, host, "GET", "/private", "application/json");

        assertEquals(307, page.statusCode(), host + ": " + page.body());
        // The strict app's IdP application, not the permissive default's.
        assertEquals("forwardauth", Responses.query(Responses.location(page)).get("client_id"));
        assertEquals("https://app.example.com/oauth2/signin",
                Responses.query(Responses.location(page)).get("redirect_uri"));
        assertEquals(401, api.statusCode(), host + ": " + api.body());
    }

    @Test
    void aHostNoAppNamesStillGetsThePermissiveDefault() throws Exception {
        // The control: without it the tests above could pass because everything needs a login.
        HttpResponse<String> response = authorize(forwardauth, "other.example.com:443", "GET", "/private", "text/html");

        assertEquals(200, response.statusCode(), response.body());
    }

    // --- 2. restricted-methods listed GET, POST...: methods nobody listed passed without login. ---

    @ParameterizedTest
    @ValueSource(strings = {"PROPFIND", "TRACE", "MKCOL", "LOCK", "CONNECT", "OPTIONS", "X-CUSTOM", "get", "Delete"})
    void everyMethodNeedsALoginWhenRestrictedMethodsIsUnset(String method) throws Exception {
        HttpResponse<String> api = authorize(forwardauth, "app.example.com", method, "/dav/file.txt", "application/json");

        assertEquals(401, api.statusCode(), method + ": " + api.body());
    }

    // --- 3. The callback was recognised by prefix, so /signin-admin/... passed without login. ---

    @ParameterizedTest
    @ValueSource(strings = {"/oauth2/signin", "/oauth2/signin?code=abc&state=xyz", "/oauth2/start",
            "/oauth2/start?rd=https%3A%2F%2Fapp.example.com%2F"})
    void ownCallbackAndStartPathsPassAnonymously(String uri) throws Exception {
        HttpResponse<String> response = authorize(forwardauth, "app.example.com", "GET", uri, "text/html");

        assertEquals(200, response.statusCode(), uri + ": " + response.body());
        assertFalse(Responses.hasHeader(response, "X-Forwarded-User"));
        assertFalse(Responses.setsPendingLogin(response));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/oauth2/signin-admin", "/oauth2/signin-admin/users", "/oauth2/signinx", "/oauth2/signin/x",
            "/oauth2/startx", "/oauth2/start/x", "/oauth2/signin.php", "/signin", "/oauth2", "/oauth2/"})
    void pathsThatOnlyStartLikeTheCallbackNeedALogin(String uri) throws Exception {
        HttpResponse<String> response = authorize(forwardauth, "app.example.com", "GET", uri, "application/json");

        assertEquals(401, response.statusCode(), uri + ": " + response.body());
    }

    @Test
    void signinAdminBesideARootCallbackNeedsALogin() throws Exception {
        assertEquals(200, authorize(forwardauth, "root.example.com", "GET", "/signin?code=a&state=b", "application/json")
                .statusCode());
        assertEquals(200, authorize(forwardauth, "root.example.com", "GET", "/start", "application/json").statusCode());
        for (String uri : new String[] {"/signin-admin", "/signin-admin/users/1", "/signin-admin?x=/signin",
                "/startup", "/signin/../admin"}) {
            HttpResponse<String> response = authorize(forwardauth, "root.example.com", "GET", uri, "application/json");
            assertEquals(401, response.statusCode(), uri + ": " + response.body());
        }
    }

    // --- 4. After login the user was sent to whatever host the request named. ---

    @Test
    void loginForAHostNoAppNamesNeverRedirectsThere() throws Exception {
        TraefikClient browser = new TraefikClient();
        HttpResponse<String> toIdp = browser.authorize(defaultOnly.uri("/authorize"), "GET",
                "https://evil.example.net/steal?x=1", "Accept", "text/html");
        assertEquals(307, toIdp.statusCode(), toIdp.body());

        HttpResponse<String> signin = Logins.finish(browser, defaultOnly, idp, toIdp, Logins.user("alice", Map.of()));

        assertEquals(400, signin.statusCode(), signin.body());
        assertFalse(Responses.hasHeader(signin, "Location"), signin.headers().map().toString());
        assertTrue(Responses.json(signin).get("message").toString().contains("evil.example.net"), signin.body());
    }

    @Test
    void loginForTheConfiguredHostStillReturnsThere() throws Exception {
        Logins.login(new TraefikClient(), defaultOnly, idp, "https://app.example.com/x?y=1", Logins.user("alice", Map.of()));
    }

    // --- 5. The original URL was lower-cased on its way back. ---

    @Test
    void originalUrlKeepsItsCase() throws Exception {
        String original = "https://app.example.com/Reports/Q1?Sort=Desc&Filter=AbC";

        HttpResponse<String> api = new TraefikClient().authorize(defaultOnly.uri("/authorize"), "GET", original,
                "Accept", "application/json");
        assertEquals("https://app.example.com/oauth2/start?rd=" + URLEncoder.encode(original, StandardCharsets.UTF_8),
                Responses.location(api));

        Logins.login(new TraefikClient(), defaultOnly, idp, original, Logins.user("alice", Map.of()));
    }

    private static HttpResponse<String> authorize(EmbeddedForwardAuth target, String host, String method, String uri,
                                                  String accept) throws Exception {
        return new TraefikClient().authorizeWith(target.uri("/authorize"),
                "X-Forwarded-Method", method, "X-Forwarded-Proto", "https", "X-Forwarded-Host", host,
                "X-Forwarded-Uri", uri, "Accept", accept);
    }
}
