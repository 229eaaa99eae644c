package dev.forwardauth.web;

import static dev.forwardauth.web.Logins.AUDIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * /signin, the OIDC callback (SPEC 4): every failure is a readable 4xx page that says what went wrong, with
 * anything the IdP or an attacker put in the URL escaped, and never a session. Logins started in several tabs
 * each return to their own page.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SigninCallbackIT {
    static final String APP = "https://app.example.com";
    static final String CALLBACK = APP + "/oauth2/signin";

    MockOAuth2Server idp;
    EmbeddedForwardAuth forwardauth;

    @BeforeAll
    void start() throws Exception {
        idp = new MockOAuth2Server();
        idp.start();
        forwardauth = new EmbeddedForwardAuth(config(idp, 300));
    }

    @AfterAll
    void stop() throws Exception {
        forwardauth.close();
        idp.shutdown();
    }

    private static String config(MockOAuth2Server idp, int nonceMaxAge) {
        return """
                {
                  "domain": "%s",
                  "session-secret": "%s",
                  "nonce-max-age": %d,
                  "default": {
                    "client-id": "forwardauth",
                    "client-secret": "secret",
                    "audience": "%s",
                    "redirect-uri": "https://app.example.com/oauth2/signin"
                  }
                }
                """.formatted(idp.issuerUrl(Logins.ISSUER_ID), Logins.SESSION_SECRET, nonceMaxAge, AUDIENCE);
    }

    @Test
    void idpErrorIsShownEscapedAndGivesNoSession() throws Exception {
        TraefikClient browser = new TraefikClient();
        String state = Responses.query(Responses.location(Logins.start(browser, forwardauth, APP + "/"))).get("state");
        String description = "<script>alert(document.cookie)</script> & \"more\"";

        HttpResponse<String> page = browser.route(forwardauth.uri("/"), CALLBACK + "?error=access_denied&error_description="
                + URLEncoder.encode(description, StandardCharsets.UTF_8) + "&state=" + state, "Accept", "text/html");

        assertEquals(403, page.statusCode(), page.body());
        assertTrue(Responses.isHtml(page));
        assertTrue(page.body().contains("access_denied"), page.body());
        assertTrue(page.body().contains("&lt;script&gt;alert(document.cookie)&lt;/script&gt; &amp; &quot;more&quot;"),
                page.body());
        assertFalse(page.body().contains("<script"), page.body());
        assertFalse(Responses.setsSession(page));
        // The login this state named is over: its cookie goes, and the same callback does not work twice.
        assertFalse(browser.cookies.keySet().stream().anyMatch(name -> name.startsWith(Responses.PENDING_LOGIN_PREFIX)),
                browser.cookies.toString());
    }

    @Test
    void idpErrorForAnApiClientIsEscapedJson() throws Exception {
        TraefikClient browser = new TraefikClient();
        String state = Responses.query(Responses.location(Logins.start(browser, forwardauth, APP + "/"))).get("state");

        HttpResponse<String> response = browser.route(forwardauth.uri("/"), CALLBACK
                + "?error=login_required&error_description=%3Cimg%20src%3Dx%3E&state=" + state, "Accept", "application/json");

        assertEquals(400, response.statusCode(), response.body());
        assertTrue(Responses.json(response).get("message").toString().contains("login_required (<img src=x>)"),
                response.body());
        assertFalse(response.body().contains("<img"), "raw '<' in JSON: " + response.body());
        assertFalse(Responses.setsSession(response));
    }

    @Test
    void replayedCallbackIsRefused() throws Exception {
        TraefikClient browser = new TraefikClient();
        HttpResponse<String> toIdp = Logins.start(browser, forwardauth, APP + "/");
        String callback = Logins.atIdp(browser, toIdp);
        Map<String, String> cookiesBeforeSignin = Map.copyOf(browser.cookies);
        idp.enqueueCallback(Logins.user("alice", Map.of()));
        HttpResponse<String> first = browser.route(forwardauth.uri("/"), callback);
        assertEquals(302, first.statusCode(), first.body());

        // The same browser, same code and state again.
        HttpResponse<String> again = browser.route(forwardauth.uri("/"), callback, "Accept", "text/html");
        // Someone who copied the browser's cookies from before the first callback, pending login included.
        TraefikClient copy = new TraefikClient();
        copy.cookies.putAll(cookiesBeforeSignin);
        HttpResponse<String> replayed = copy.route(forwardauth.uri("/"), callback, "Accept", "text/html");

        assertEquals(400, again.statusCode(), again.body());
        assertTrue(again.body().contains("already completed"), again.body());
        assertFalse(Responses.setsSession(again));
        assertTrue(replayed.statusCode() >= 400 && replayed.statusCode() < 500, replayed.statusCode() + " " + replayed.body());
        assertFalse(Responses.setsSession(replayed), replayed.headers().allValues("Set-Cookie").toString());
    }

    @Test
    void aSecondCodeForTheSameStateMakesNoSecondSession() throws Exception {
        // The identity provider hands out a code each time the browser passes its authorize URL, all for the
        // same state. Someone who kept a copy of the pending-login cookie from before the first callback must
        // not turn the second code into a second session: a pending login works once. (An IdP of its own: a
        // token callback left queued for the refused exchange must not reach another test's login.)
        MockOAuth2Server ownIdp = new MockOAuth2Server();
        ownIdp.start();
        try (EmbeddedForwardAuth own = new EmbeddedForwardAuth(config(ownIdp, 300))) {
            TraefikClient browser = new TraefikClient();
            HttpResponse<String> toIdp = Logins.start(browser, own, APP + "/");
            String firstCallback = Logins.atIdp(browser, toIdp);
            String secondCallback = Logins.atIdp(browser, toIdp);
            assertEquals(Responses.query(firstCallback).get("state"), Responses.query(secondCallback).get("state"));
            assertNotEquals(Responses.query(firstCallback).get("code"), Responses.query(secondCallback).get("code"));
            TraefikClient copy = new TraefikClient();
            copy.cookies.putAll(browser.cookies);
            ownIdp.enqueueCallback(Logins.user("alice", Map.of()));
            HttpResponse<String> first = browser.route(own.uri("/"), firstCallback);
            assertEquals(302, first.statusCode(), first.body());
            assertTrue(Responses.setsSession(first));

            ownIdp.enqueueCallback(Logins.user("alice", Map.of()));
            HttpResponse<String> second = copy.route(own.uri("/"), secondCallback, "Accept", "text/html");

            assertEquals(400, second.statusCode(), second.body());
            assertTrue(second.body().contains("already completed"), second.body());
            assertFalse(Responses.setsSession(second), second.headers().allValues("Set-Cookie").toString());
            assertFalse(copy.cookies.keySet().stream().anyMatch(name -> name.startsWith(Responses.PENDING_LOGIN_PREFIX)),
                    copy.cookies.toString());
        } finally {
            ownIdp.shutdown();
        }
    }

    @Test
    void unknownStateIsRefused() throws Exception {
        TraefikClient browser = new TraefikClient();
        Logins.start(browser, forwardauth, APP + "/"); // a login of its own is under way, with another state

        HttpResponse<String> page = browser.route(forwardauth.uri("/"), CALLBACK + "?code=abc&state=forged-state",
                "Accept", "text/html");

        assertEquals(400, page.statusCode(), page.body());
        assertTrue(page.body().contains("not started in this browser"), page.body());
        assertFalse(Responses.setsSession(page));
    }

    @Test
    void callbackOfALoginStartedInAnotherBrowserIsRefused() throws Exception {
        // Login CSRF: the attacker's own valid callback, delivered to the victim's browser.
        TraefikClient attacker = new TraefikClient();
        String callback = Logins.atIdp(attacker, Logins.start(attacker, forwardauth, APP + "/"));
        TraefikClient victim = new TraefikClient();

        HttpResponse<String> page = victim.route(forwardauth.uri("/"), callback, "Accept", "text/html");

        assertEquals(400, page.statusCode(), page.body());
        assertFalse(Responses.setsSession(page));
    }

    @Test
    void callbackWithoutStateIsRefused() throws Exception {
        HttpResponse<String> page = new TraefikClient().route(forwardauth.uri("/"), CALLBACK + "?code=abc",
                "Accept", "text/html");

        assertEquals(400, page.statusCode(), page.body());
        assertTrue(page.body().contains("no state"), page.body());
    }

    @Test
    void idpErrorWithoutStateIsShownEscaped() throws Exception {
        // Some providers leave state out of an error response (OAuth 2.0 requires it only when the request
        // carried one, and a provider may fail before it read the request): the user must still read why.
        HttpResponse<String> page = new TraefikClient().route(forwardauth.uri("/"), CALLBACK
                + "?error=access_denied&error_description="
                + URLEncoder.encode("<b>The user declined</b> & left", StandardCharsets.UTF_8), "Accept", "text/html");

        assertEquals(403, page.statusCode(), page.body());
        assertTrue(Responses.isHtml(page));
        assertTrue(page.body().contains("the identity provider refused the sign-in: access_denied"), page.body());
        assertTrue(page.body().contains("&lt;b&gt;The user declined&lt;/b&gt; &amp; left"), page.body());
        assertFalse(page.body().contains("<b>"), page.body());
        assertFalse(page.body().contains("no state"), page.body());
        assertFalse(Responses.setsSession(page));
    }

    @Test
    void idpErrorWithoutStateForAnApiClientIsJson() throws Exception {
        HttpResponse<String> response = new TraefikClient().route(forwardauth.uri("/"), CALLBACK
                + "?error=server_error", "Accept", "application/json");

        assertEquals(400, response.statusCode(), response.body());
        assertEquals("the identity provider refused the sign-in: server_error",
                Responses.json(response).get("message"), response.body());
    }

    @Test
    void loginOlderThanNonceMaxAgeIsRefused() throws Exception {
        try (EmbeddedForwardAuth impatient = new EmbeddedForwardAuth(config(idp, 1))) {
            TraefikClient browser = new TraefikClient();
            String callback = Logins.atIdp(browser, Logins.start(browser, impatient, APP + "/"));
            Thread.sleep(2100);

            HttpResponse<String> page = browser.route(impatient.uri("/"), callback, "Accept", "text/html");

            assertEquals(400, page.statusCode(), page.body());
            assertTrue(page.body().contains("longer than 1 seconds"), page.body());
            assertFalse(Responses.setsSession(page));
        }
    }

    @Test
    void parallelLoginsEachReturnToTheirOwnPage() throws Exception {
        TraefikClient browser = new TraefikClient();
        HttpResponse<String> firstTab = Logins.start(browser, forwardauth, APP + "/first?tab=1");
        HttpResponse<String> secondTab = Logins.start(browser, forwardauth, APP + "/second?tab=2");
        List<String> pending = browser.cookies.keySet().stream()
                .filter(name -> name.startsWith(Responses.PENDING_LOGIN_PREFIX)).collect(Collectors.toList());
        assertEquals(2, pending.size(), browser.cookies.keySet().toString());

        HttpResponse<String> second = Logins.finish(browser, forwardauth, idp, secondTab, Logins.user("alice", Map.of()));
        HttpResponse<String> first = Logins.finish(browser, forwardauth, idp, firstTab, Logins.user("alice", Map.of()));

        assertEquals(302, second.statusCode(), second.body());
        assertEquals(APP + "/second?tab=2", Responses.location(second));
        assertTrue(Responses.setsSession(second));
        assertEquals(302, first.statusCode(), first.body());
        assertEquals(APP + "/first?tab=1", Responses.location(first));
        assertTrue(Responses.setsSession(first));
        assertEquals(200, browser.authorize(forwardauth.uri("/authorize"), "GET", APP + "/", "Accept", "text/html")
                .statusCode());
    }

    @Test
    void callbackIsAlsoServedAtSlashSignin() throws Exception {
        TraefikClient browser = new TraefikClient();
        String callback = Logins.atIdp(browser, Logins.start(browser, forwardauth, APP + "/x"));
        idp.enqueueCallback(Logins.user("alice", Map.of()));

        HttpResponse<String> signin = browser.route(forwardauth.uri("/"), callback.replace("/oauth2/signin", "/signin"));

        assertEquals(302, signin.statusCode(), signin.body());
        assertEquals(APP + "/x", Responses.location(signin));
        assertTrue(Responses.setsSession(signin));
    }
}
