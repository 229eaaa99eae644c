package dev.forwardauth.web;

import static dev.forwardauth.web.Logins.AUDIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * /status after real logins at mock-oauth2-server: the page for a session whose access token has the
 * permission, 403 naming it without, and the way to the login without a session.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusPageIT {
    static final String APP = "https://app.example.com";
    static final String STATUS = APP + "/oauth2/status";
    static final String CLIENT_SECRET = "status-it-client-secret-7Yx";
    static final String ADMIN = "admin:forwardauth";

    MockOAuth2Server idp;
    EmbeddedForwardAuth forwardauth;

    @BeforeAll
    void start() throws Exception {
        idp = new MockOAuth2Server();
        idp.start();
        Logins.warmUp(idp);
        forwardauth = new EmbeddedForwardAuth("""
                {
                  "domain": "%s",
                  "session-secret": "%s",
                  "apps": [{
                    "name": "app.example.com",
                    "client-id": "forwardauth",
                    "client-secret": "%s",
                    "audience": "%s",
                    "redirect-uri": "https://app.example.com/oauth2/signin",
                    "rules": [{"path": "/public/**", "allow": "anonymous"}]
                  }]
                }
                """.formatted(idp.issuerUrl(Logins.ISSUER_ID), Logins.SESSION_SECRET, CLIENT_SECRET, AUDIENCE));
    }

    @AfterAll
    void stop() throws Exception {
        forwardauth.close();
        idp.shutdown();
    }

    TraefikClient signedIn(String subject, List<String> permissions) throws Exception {
        TraefikClient browser = new TraefikClient();
        Logins.login(browser, forwardauth, idp, APP + "/reports",
                Logins.user(subject, Map.of("permissions", permissions)));
        return browser;
    }

    @Test
    void aRequestNoAppTakesIsListedAsTheLogHasIt() throws Exception {
        TraefikClient browser = signedIn("alice", List.of(ADMIN));
        HttpResponse<String> refused = new TraefikClient().authorize(forwardauth.uri("/authorize"), "GET",
                "https://unknown.example.org/no-app-here", "Accept", "text/html");
        assertEquals(403, refused.statusCode(), refused.body());

        String body = browser.route(forwardauth.uri("/"), STATUS, "Accept", "text/html").body();

        assertTrue(body.contains("<td>unknown.example.org</td>"), body);
        assertTrue(body.contains("<td>403 no app for the host</td>"), body);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/oauth2/status", "/status"})
    void withThePermissionThePageShowsVersionAppsIdpAndTheLatestDecisions(String path) throws Exception {
        TraefikClient browser = signedIn("alice", List.of(ADMIN));
        assertEquals(200, browser.authorize(forwardauth.uri("/authorize"), "GET", APP + "/reports",
                "Accept", "text/html").statusCode());

        HttpResponse<String> page = browser.route(forwardauth.uri("/"), APP + path, "Accept", "text/html");

        assertEquals(200, page.statusCode(), page.body());
        assertTrue(Responses.isHtml(page));
        String body = page.body();
        assertTrue(body.contains("Version <strong>" + System.getProperty("forwardauth.version", "")
                + "</strong>"), body);
        assertTrue(body.contains("<h3>app.example.com</h3>"), body);
        assertTrue(body.contains("<td>forwardauth</td>"), "client-id shown: " + body);
        assertTrue(body.contains("<td>/public/**</td>"), body);
        assertTrue(body.contains("<td>" + idp.issuerUrl(Logins.ISSUER_ID) + "</td>"), "issuer: " + body);
        // The login validated the access token, so the keys were fetched: their ids are listed.
        String kid = com.nimbusds.jwt.SignedJWT.parse(Responses.header(browser.authorize(forwardauth.uri("/authorize"),
                "GET", APP + "/reports", "Accept", "text/html"), "Authorization").substring(7)).getHeader().getKeyID();
        assertTrue(body.contains(kid), "key id " + kid + " in " + body);
        assertTrue(body.contains("<td>/reports</td><td>alice</td><td>app settings</td><td>200 allowed</td>"), body);
        assertFalse(body.contains(CLIENT_SECRET), "client secret on the page");
        assertFalse(body.contains(Logins.SESSION_SECRET), "session secret on the page");
        assertEquals(2, body.split("set \\(hidden\\)", -1).length - 1, "both secrets masked: " + body);
    }

    @Test
    void thePageIsServedWithTheHeadersOfEveryPage() throws Exception {
        TraefikClient browser = signedIn("alice", List.of(ADMIN));

        HttpResponse<String> page = browser.route(forwardauth.uri("/"), STATUS, "Accept", "text/html");

        assertEquals(200, page.statusCode(), page.body());
        assertEquals("no-store", Responses.header(page, "Cache-Control"));
        assertEquals("nosniff", Responses.header(page, "X-Content-Type-Options"));
        assertEquals("DENY", Responses.header(page, "X-Frame-Options"));
        String csp = Responses.header(page, "Content-Security-Policy");
        assertTrue(csp.startsWith("default-src 'none'; style-src 'sha256-"), csp);
        assertTrue(csp.contains("frame-ancestors 'none'"), csp);
        assertFalse(csp.contains("unsafe"), csp);
        assertFalse(page.body().toLowerCase(Locale.ROOT).contains("<script"), page.body());
    }

    @Test
    void aPathWithMarkupIsShownAsText() throws Exception {
        TraefikClient browser = signedIn("alice", List.of(ADMIN));
        HttpResponse<String> decided = browser.authorizeWith(forwardauth.uri("/authorize"),
                "X-Forwarded-Method", "GET", "X-Forwarded-Proto", "https", "X-Forwarded-Host", "app.example.com",
                "X-Forwarded-Uri", "/public/<script>alert(1)</script>", "Accept", "text/html");
        assertEquals(200, decided.statusCode(), decided.body());

        String body = browser.route(forwardauth.uri("/"), STATUS, "Accept", "text/html").body();

        assertTrue(body.contains("<td>/public/&lt;script&gt;alert(1)&lt;/script&gt;</td>"), body);
        assertFalse(body.toLowerCase(Locale.ROOT).contains("<script"), body);
    }

    @Test
    void withoutThePermissionIs403NamingIt() throws Exception {
        TraefikClient browser = signedIn("bob", List.of("read:reports"));

        HttpResponse<String> html = browser.route(forwardauth.uri("/"), STATUS, "Accept", "text/html");
        HttpResponse<String> json = browser.route(forwardauth.uri("/"), STATUS, "Accept", "application/json");

        assertEquals(403, html.statusCode(), html.body());
        assertTrue(html.body().contains("missing permissions: " + ADMIN), html.body());
        assertFalse(html.body().contains("app.example.com"), "nothing of the status in a 403: " + html.body());
        assertEquals(403, json.statusCode(), json.body());
        assertEquals(List.of(ADMIN), Responses.json(json).get("missing_permissions"));
    }

    @Test
    void aScopeOfTheSameNameIsNotThePermission() throws Exception {
        TraefikClient browser = new TraefikClient();
        Logins.login(browser, forwardauth, idp, APP + "/reports", Logins.user("carol", Map.of("scope", ADMIN)));

        HttpResponse<String> page = browser.route(forwardauth.uri("/"), STATUS, "Accept", "text/html");

        assertEquals(403, page.statusCode(), page.body());
    }

    @Test
    void withoutSessionABrowserIsSentToLoginAndComesBackToThePage() throws Exception {
        TraefikClient browser = new TraefikClient();

        HttpResponse<String> toStart = browser.route(forwardauth.uri("/"), STATUS, "Accept", "text/html");

        assertEquals(307, toStart.statusCode(), toStart.body());
        String start = APP + "/oauth2/start?rd=" + URLEncoder.encode(STATUS, StandardCharsets.UTF_8);
        assertEquals(start, Responses.location(toStart));
        HttpResponse<String> toIdp = browser.route(forwardauth.uri("/"), start, "Accept", "text/html");
        assertEquals(307, toIdp.statusCode(), toIdp.body());
        HttpResponse<String> back = Logins.finish(browser, forwardauth, idp, toIdp,
                Logins.user("alice", Map.of("permissions", List.of(ADMIN))));
        assertEquals(302, back.statusCode(), back.body());
        assertEquals(STATUS, Responses.location(back));
        HttpResponse<String> page = browser.route(forwardauth.uri("/"), STATUS, "Accept", "text/html");
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("for alice."), page.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "*/*"})
    void withoutSessionAnApiClientGets401WithTheStartUrl(String accept) throws Exception {
        HttpResponse<String> response = new TraefikClient().route(forwardauth.uri("/"), STATUS, "Accept", accept);

        assertEquals(401, response.statusCode(), response.body());
        assertTrue(Responses.hasHeader(response, "WWW-Authenticate"));
        assertEquals(APP + "/oauth2/start?rd=" + URLEncoder.encode(STATUS, StandardCharsets.UTF_8),
                Responses.location(response));
        assertEquals("unauthorized", Responses.json(response).get("error"));
    }

    @Test
    void aHostWithoutAnAppIs403() throws Exception {
        HttpResponse<String> response = new TraefikClient().route(forwardauth.uri("/"),
                "https://other.example.org/status", "Accept", "application/json");

        assertEquals(403, response.statusCode(), response.body());
        assertTrue(Responses.json(response).get("message").toString().contains("other.example.org"));
    }
}
