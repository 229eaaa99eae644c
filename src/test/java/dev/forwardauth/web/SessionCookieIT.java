package dev.forwardauth.web;

import static dev.forwardauth.web.Logins.AUDIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
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

/**
 * The session cookie FORWARDAUTH (SPEC 5): whatever a client does to it, a cookie we did not seal with our
 * secret is simply no session (307 or 401, never 2xx, never 5xx); and its attributes are exactly those SPEC 5
 * names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionCookieIT {
    static final String APP = "https://app.example.com";

    MockOAuth2Server idp;
    EmbeddedForwardAuth forwardauth;
    String validSession;

    @BeforeAll
    void start() throws Exception {
        idp = new MockOAuth2Server();
        idp.start();
        forwardauth = new EmbeddedForwardAuth(config(Logins.SESSION_SECRET));
        TraefikClient browser = new TraefikClient();
        Logins.login(browser, forwardauth, idp, APP + "/", Logins.user("alice", Map.of("name", "Alice")));
        validSession = browser.cookies.get(Responses.SESSION_COOKIE);
    }

    @AfterAll
    void stop() throws Exception {
        forwardauth.close();
        idp.shutdown();
    }

    private String config(String secret) {
        return """
                {
                  "domain": "%s",
                  "session-secret": "%s",
                  "default": {
                    "client-id": "forwardauth",
                    "client-secret": "secret",
                    "audience": "%s",
                    "redirect-uri": "https://app.example.com/oauth2/signin"
                  },
                  "apps": [
                    {"name": "sso.example.org", "redirect-uri": "https://sso.example.org/oauth2/signin",
                     "token-cookie-domain": "example.org"},
                    {"name": "plain.example.net", "redirect-uri": "http://plain.example.net/oauth2/signin"},
                    {"name": "mixed.example.net", "redirect-uri": "https://mixed.example.net/oauth2/signin"}
                  ]
                }
                """.formatted(idp.issuerUrl(Logins.ISSUER_ID), secret, AUDIENCE);
    }

    @Test
    void theValidCookieIsASession() throws Exception {
        assertEquals(200, withSession(validSession, "text/html").statusCode());
    }

    @Test
    void tamperedCookieIsNoSession() throws Exception {
        // Not the last character: in unpadded base64url its low bits may be unused padding, so flipping them
        // leaves the decoded (authenticated) bytes unchanged: the same cookie, rightly accepted.
        for (int position : new int[] {3, validSession.length() / 2, validSession.length() - 2}) {
            char[] chars = validSession.toCharArray();
            chars[position] = chars[position] == 'A' ? 'B' : 'A';
            assertNoSession(new String(chars));
        }
    }

    @Test
    void truncatedCookieIsNoSession() throws Exception {
        assertNoSession(validSession.substring(0, validSession.length() / 2));
        assertNoSession(validSession.substring(0, validSession.length() - 1));
        assertNoSession(validSession.substring(0, 3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "v1.", "v1.AAAA", "v1.!!!!", "c2.abc", "c9.abc", "null", "\"quoted\"", "%00%ff",
            "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9."})
    void garbageCookieIsNoSession(String value) throws Exception {
        assertNoSession(value);
    }

    @Test
    void longGarbageCookieIsNoSession() throws Exception {
        assertNoSession("v1." + "A".repeat(6000));
    }

    @Test
    void cookieSealedWithAnotherSecretIsNoSession() throws Exception {
        try (EmbeddedForwardAuth other = new EmbeddedForwardAuth(config("another-secret-another-secret-0123456789"))) {
            TraefikClient browser = new TraefikClient();
            Logins.login(browser, other, idp, APP + "/", Logins.user("alice", Map.of()));
            String foreign = browser.cookies.get(Responses.SESSION_COOKIE);
            assertEquals(200, browser.authorize(other.uri("/authorize"), "GET", APP + "/", "Accept", "text/html")
                    .statusCode(), "valid where it was made");

            assertNoSession(foreign);
        }
    }

    @Test
    void badCookieIsNoSessionForUserinfoEither() throws Exception {
        TraefikClient browser = new TraefikClient();
        browser.cookies.put(Responses.SESSION_COOKIE, validSession.substring(0, validSession.length() - 2));

        HttpResponse<String> userinfo = browser.route(forwardauth.uri("/"), APP + "/oauth2/userinfo");

        assertEquals(401, userinfo.statusCode(), userinfo.body());
    }

    // --- attributes ---

    @Test
    void sessionCookieAfterAnHttpsLoginIsHttpOnlyLaxPathRootSecureAndHostOnly() throws Exception {
        TraefikClient browser = new TraefikClient();
        HttpResponse<String> toIdp = Logins.start(browser, forwardauth, APP + "/");
        HttpResponse<String> signin = Logins.finish(browser, forwardauth, idp, toIdp, Logins.user("alice", Map.of()));
        assertEquals(302, signin.statusCode(), signin.body());

        Map<String, String> session = attributesOf(signin, Responses.SESSION_COOKIE);
        assertTrue(session.containsKey("httponly"), session.toString());
        assertEquals("Lax", session.get("samesite"));
        assertEquals("/", session.get("path"));
        assertTrue(session.containsKey("secure"), session.toString());
        assertFalse(session.containsKey("domain"), session.toString());
        assertTrue(Long.parseLong(session.get("max-age")) > 0, session.toString());

        Map<String, String> pending = pendingLoginAttributes(toIdp);
        assertTrue(pending.containsKey("httponly") && pending.containsKey("secure"), pending.toString());
        assertEquals("Lax", pending.get("samesite"));
        assertEquals("/", pending.get("path"));
    }

    @Test
    void cookiesOfAnHttpLoginAreNotSecure() throws Exception {
        TraefikClient browser = new TraefikClient();
        String url = "http://plain.example.net/page";
        HttpResponse<String> toIdp = Logins.start(browser, forwardauth, url);
        HttpResponse<String> signin = Logins.finish(browser, forwardauth, idp, toIdp, Logins.user("alice", Map.of()));
        assertEquals(302, signin.statusCode(), signin.body());
        assertEquals(url, Responses.location(signin));

        Map<String, String> session = attributesOf(signin, Responses.SESSION_COOKIE);
        assertFalse(session.containsKey("secure"), session.toString());
        assertTrue(session.containsKey("httponly"), session.toString());
        assertEquals("Lax", session.get("samesite"));
        assertEquals("/", session.get("path"));
        assertFalse(pendingLoginAttributes(toIdp).containsKey("secure"));
        assertEquals(200, browser.authorize(forwardauth.uri("/authorize"), "GET", url, "Accept", "text/html")
                .statusCode());
    }

    @Test
    void sessionCookieOfAnHttpPageIsNotSecureThoughTheCallbackCameOverHttps() throws Exception {
        // SPEC 5: Secure when the ORIGINAL request was https. This app's page is http and its redirect-uri
        // https: a Secure session cookie would never be sent back to the page, and the user would go round
        // through the identity provider for ever.
        TraefikClient browser = new TraefikClient();
        String url = "http://mixed.example.net/page";
        HttpResponse<String> toIdp = Logins.start(browser, forwardauth, url);
        String callback = Logins.atIdp(browser, toIdp);
        assertTrue(callback.startsWith("https://mixed.example.net/oauth2/signin?"), callback);
        idp.enqueueCallback(Logins.user("alice", Map.of()));

        HttpResponse<String> signin = browser.route(forwardauth.uri("/"), callback); // X-Forwarded-Proto: https

        assertEquals(302, signin.statusCode(), signin.body());
        assertEquals(url, Responses.location(signin));
        Map<String, String> session = attributesOf(signin, Responses.SESSION_COOKIE);
        assertFalse(session.containsKey("secure"), session.toString());
        assertTrue(session.containsKey("httponly"), session.toString());
        assertEquals(200, browser.authorize(forwardauth.uri("/authorize"), "GET", url, "Accept", "text/html")
                .statusCode());
    }

    @Test
    void sessionCookieOfAnHttpsPageIsSecureThoughTheCallbackCarriesNoForwardedProto() throws Exception {
        // A proxy that passes forwardauth's own routes on over plain http without X-Forwarded-Proto: the page
        // the user asked for was https, so the session cookie must not travel over http.
        TraefikClient browser = new TraefikClient();
        HttpResponse<String> toIdp = Logins.start(browser, forwardauth, APP + "/reports");
        URI callback = URI.create(Logins.atIdp(browser, toIdp));
        idp.enqueueCallback(Logins.user("alice", Map.of()));

        HttpResponse<String> signin = browser.get(forwardauth.uri(callback.getRawPath() + "?" + callback.getRawQuery()));

        assertEquals(302, signin.statusCode(), signin.body());
        assertEquals(APP + "/reports", Responses.location(signin));
        Map<String, String> session = attributesOf(signin, Responses.SESSION_COOKIE);
        assertTrue(session.containsKey("secure"), session.toString());
    }

    @Test
    void tokenCookieDomainBecomesTheCookieDomain() throws Exception {
        TraefikClient browser = new TraefikClient();
        String url = "https://sso.example.org/dashboard";
        HttpResponse<String> toIdp = Logins.start(browser, forwardauth, url);
        HttpResponse<String> signin = Logins.finish(browser, forwardauth, idp, toIdp, Logins.user("alice", Map.of()));
        assertEquals(302, signin.statusCode(), signin.body());

        Map<String, String> session = attributesOf(signin, Responses.SESSION_COOKIE);
        assertEquals("example.org", session.get("domain").replaceFirst("^\\.", ""));
        assertTrue(session.containsKey("secure") && session.containsKey("httponly"), session.toString());
        assertEquals("Lax", session.get("samesite"));
        assertEquals("/", session.get("path"));
    }

    private void assertNoSession(String cookie) throws Exception {
        HttpResponse<String> page = withSession(cookie, "text/html");
        HttpResponse<String> api = withSession(cookie, "application/json");

        assertEquals(307, page.statusCode(), cookie + ": " + page.body());
        assertEquals(401, api.statusCode(), cookie + ": " + api.body());
        assertFalse(Responses.setsSession(page));
        assertFalse(Responses.setsSession(api));
    }

    private HttpResponse<String> withSession(String cookie, String accept) throws Exception {
        TraefikClient browser = new TraefikClient();
        browser.cookies.put(Responses.SESSION_COOKIE, cookie);
        return browser.authorize(forwardauth.uri("/authorize"), "GET", APP + "/reports", "Accept", accept);
    }

    private static Map<String, String> attributesOf(HttpResponse<String> response, String name) {
        return Responses.cookieAttributes(Responses.setCookie(response, name).orElseThrow(
                () -> new AssertionError("no " + name + " in " + response.headers().allValues("Set-Cookie"))));
    }

    private static Map<String, String> pendingLoginAttributes(HttpResponse<String> toIdp) {
        List<String> pending = toIdp.headers().allValues("Set-Cookie").stream()
                .filter(header -> header.startsWith(Responses.PENDING_LOGIN_PREFIX)).toList();
        assertEquals(1, pending.size(), toIdp.headers().allValues("Set-Cookie").toString());
        return Responses.cookieAttributes(pending.get(0));
    }
}
