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
 * /start?rd=URL (SPEC 4): where the browser goes from an API client's 401 or nginx's error_page. It starts
 * a login that returns to URL, and only for URLs on a configured host or under a token-cookie-domain: every
 * open-redirect trick is a 400 that starts nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StartIT {
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
                    "redirect-uri": "https://app.example.com/oauth2/signin"
                  },
                  "apps": [
                    {"name": "*.tenants.example.com", "client-id": "tenants-client",
                     "redirect-uri": "https://login.tenants.example.com/oauth2/signin"},
                    {"name": "sso.example.org", "redirect-uri": "https://sso.example.org/oauth2/signin",
                     "token-cookie-domain": "example.org"}
                  ]
                }
                """.formatted(idp.issuerUrl(Logins.ISSUER_ID), Logins.SESSION_SECRET, AUDIENCE));
    }

    @AfterAll
    void stop() throws Exception {
        forwardauth.close();
        idp.shutdown();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/oauth2/start", "/start"})
    void configuredHostStartsALoginThatReturnsThere(String path) throws Exception {
        TraefikClient browser = new TraefikClient();
        String rd = "https://app.example.com/Reports?Year=2024";

        HttpResponse<String> toIdp = start(browser, path, rd);

        assertEquals(307, toIdp.statusCode(), toIdp.body());
        Map<String, String> query = Responses.query(Responses.location(toIdp));
        assertTrue(Responses.location(toIdp).startsWith(idp.authorizationEndpointUrl(Logins.ISSUER_ID).toString()));
        assertEquals("forwardauth", query.get("client_id"));
        assertEquals("https://app.example.com/oauth2/signin", query.get("redirect_uri"));
        assertEquals(AUDIENCE, query.get("audience"));
        assertTrue(Responses.setsPendingLogin(toIdp), toIdp.headers().allValues("Set-Cookie").toString());

        HttpResponse<String> signin = Logins.finish(browser, forwardauth, idp, toIdp, Logins.user("alice", Map.of()));
        assertEquals(302, signin.statusCode(), signin.body());
        assertEquals(rd, Responses.location(signin));
        assertTrue(Responses.setsSession(signin));
    }

    @Test
    void startFromAnApiClientsLocationWorksForABrowserThatDoesNotAcceptHtml() throws Exception {
        // The 401's Location is followed by whatever the page's script or nginx's error_page makes of it.
        HttpResponse<String> toIdp = start(new TraefikClient(), "/oauth2/start", "https://app.example.com/",
                "Accept", "*/*");

        assertEquals(307, toIdp.statusCode(), toIdp.body());
        assertTrue(Responses.setsPendingLogin(toIdp));
    }

    @Test
    void wildcardAppHostSelectsThatApp() throws Exception {
        HttpResponse<String> toIdp = start(new TraefikClient(), "/oauth2/start", "https://acme.tenants.example.com/x");

        assertEquals(307, toIdp.statusCode(), toIdp.body());
        assertEquals("tenants-client", Responses.query(Responses.location(toIdp)).get("client_id"));
    }

    @Test
    void hostUnderATokenCookieDomainIsAccepted() throws Exception {
        HttpResponse<String> toIdp = start(new TraefikClient(), "/oauth2/start", "https://wiki.example.org/page");

        assertEquals(307, toIdp.statusCode(), toIdp.body());
    }

    @Test
    void mixedCaseSchemeAndHostAreAccepted() throws Exception {
        HttpResponse<String> toIdp = start(new TraefikClient(), "/oauth2/start", "HTTPS://APP.EXAMPLE.COM/x");

        assertEquals(307, toIdp.statusCode(), toIdp.body());
        assertEquals("forwardauth", Responses.query(Responses.location(toIdp)).get("client_id"));
    }

    @Test
    void returnUrlWithCharactersBrowsersSendRawCompletesTheLoginAndReturnsThereEscaped() throws Exception {
        // Browsers send | ^ { } ` and a lone % raw in a query; refusing them dead-ended these logins.
        TraefikClient browser = new TraefikClient();
        HttpResponse<String> toIdp = start(browser, "/oauth2/start", "https://app.example.com/a|b?q={x}^`y`&d=100%");

        assertEquals(307, toIdp.statusCode(), toIdp.body());
        HttpResponse<String> signin = Logins.finish(browser, forwardauth, idp, toIdp, Logins.user("alice", Map.of()));
        assertEquals(302, signin.statusCode(), signin.body());
        assertEquals("https://app.example.com/a%7Cb?q=%7Bx%7D%5E%60y%60&d=100%25", Responses.location(signin));
    }

    @Test
    void traefikLoginForAPageWithRawCharactersReturnsThereEscaped() throws Exception {
        TraefikClient browser = new TraefikClient();
        // Traefik passes the browser's request line as it came: raw | and { are in X-Forwarded-Uri.
        HttpResponse<String> toIdp = browser.authorizeWith(forwardauth.uri("/authorize"), "X-Forwarded-Method", "GET",
                "X-Forwarded-Proto", "https", "X-Forwarded-Host", "app.example.com", "X-Forwarded-Uri", "/a|b?q={x}",
                "Accept", "text/html");
        assertEquals(307, toIdp.statusCode(), toIdp.body());

        HttpResponse<String> signin = Logins.finish(browser, forwardauth, idp, toIdp, Logins.user("alice", Map.of()));
        assertEquals(302, signin.statusCode(), signin.body());
        assertEquals("https://app.example.com/a%7Cb?q=%7Bx%7D", Responses.location(signin));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "//evil.com",
            "//evil.com/app.example.com",
            "/\\evil.com",
            "\\\\evil.com",
            "https:evil.com",
            "https:/evil.com",
            "https://app.example.com@evil.com/",
            "https://app.example.com:443@evil.com/",
            "https://evil.com\\@app.example.com/",
            "https://app.example.com.evil.com/",
            "https://evil.com/",
            "https://evil.com/?rd=https://app.example.com/",
            "https://example.com/",
            "/relative/path",
            "relative",
            "app.example.com/x",
            "javascript:alert(1)",
            "data:text/html,hi",
            "ftp://app.example.com/",
            "https://app.example.com/\r\nSet-Cookie: x=y",
            "https://app.example.com/x\n",
            "https:/\t/evil.com/",
            "\thttps://app.example.com/",
            "https://app.example.com/\tx",
            "https://\u0430pp.example.com/",
            "https://app.example.com\u3002evil.com/",
            "https:///evil.com",
            "https://app.example.com:99999/",
            "https://app.example.com:0/",
            "https://app.example.com|evil.com/",
            ""})
    void everythingElseIs400AndStartsNothing(String rd) throws Exception {
        HttpResponse<String> response = start(new TraefikClient(), "/oauth2/start", rd);

        assertEquals(400, response.statusCode(), "[" + rd + "] " + response.body());
        assertFalse(Responses.hasHeader(response, "Location"), response.headers().map().toString());
        assertFalse(Responses.setsPendingLogin(response));
        assertTrue(Responses.isHtml(response) && response.body().contains("Cannot start sign-in"), response.body());
        assertFalse(response.body().contains("<script") || response.body().contains("\r\nSet-Cookie"), response.body());
    }

    @Test
    void aReturnUrlTooLongForTheLoginCookieReturnsToThePageWithoutItsQuery() throws Exception {
        // A dashboard keeps its state in the query; a browser would drop a login cookie that carried it all.
        String page = "https://app.example.com/app/dashboards";
        TraefikClient browser = new TraefikClient();
        HttpResponse<String> toIdp = start(browser, "/oauth2/start", page + "?_a=" + randomText(3500));
        assertEquals(307, toIdp.statusCode(), toIdp.body());
        assertTrue(toIdp.headers().allValues("Set-Cookie").stream().allMatch(cookie -> cookie.length() < 4096),
                toIdp.headers().allValues("Set-Cookie").toString());

        HttpResponse<String> signin = Logins.finish(browser, forwardauth, idp, toIdp, Logins.user("alice", Map.of()));
        assertEquals(302, signin.statusCode(), signin.body());
        assertEquals(page, Responses.location(signin));
    }

    @Test
    void traefikLoginFromAVeryLongUrlReturnsToThePageWithoutItsQuery() throws Exception {
        String page = "https://app.example.com/app/dashboards";
        TraefikClient browser = new TraefikClient();
        HttpResponse<String> toIdp = Logins.start(browser, forwardauth, page + "?_a=" + randomText(7000));

        HttpResponse<String> signin = Logins.finish(browser, forwardauth, idp, toIdp, Logins.user("alice", Map.of()));
        assertEquals(302, signin.statusCode(), signin.body());
        assertEquals(page, Responses.location(signin));
    }

    private static String randomText(int length) {
        byte[] random = new byte[length];
        new java.security.SecureRandom().nextBytes(random);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random).substring(0, length);
    }

    @Test
    void twoReturnUrlsAre400() throws Exception {
        HttpResponse<String> response = new TraefikClient().route(forwardauth.uri("/"),
                "https://app.example.com/oauth2/start?rd=https%3A%2F%2Fapp.example.com%2F&rd=https%3A%2F%2Fevil.com%2F",
                "Accept", "text/html");

        assertEquals(400, response.statusCode(), response.body());
        assertTrue(response.body().contains("give one return URL (rd), not 2"), response.body());
        assertFalse(Responses.setsPendingLogin(response));
    }

    @Test
    void missingRdIs400() throws Exception {
        HttpResponse<String> response = new TraefikClient().route(forwardauth.uri("/"),
                "https://app.example.com/oauth2/start", "Accept", "text/html");

        assertEquals(400, response.statusCode(), response.body());
        assertFalse(Responses.setsPendingLogin(response));
    }

    private HttpResponse<String> start(TraefikClient browser, String path, String rd, String... headers)
            throws Exception {
        String[] withAccept = headers.length > 0 ? headers : new String[] {"Accept", "text/html"};
        return browser.route(forwardauth.uri("/"), "https://app.example.com" + path + "?rd="
                + URLEncoder.encode(rd, StandardCharsets.UTF_8), withAccept);
    }
}
