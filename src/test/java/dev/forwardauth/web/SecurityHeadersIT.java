package dev.forwardauth.web;

import static dev.forwardauth.web.Logins.AUDIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every answer of forwardauth that a browser may render carries the page headers: no-store, nosniff,
 * X-Frame-Options DENY, a CSP that allows nothing but the page's own style, no Referer; the proxy's own 200
 * says no-store. Error pages the container answers itself (web.xml's error-page) are in
 * ErrorPagesArquillianIT and, per container, ContainerLoginTests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityHeadersIT {
    static final String APP = "https://app.example.com";

    MockOAuth2Server idp;
    EmbeddedForwardAuth forwardauth;

    @BeforeAll
    void start() throws Exception {
        idp = new MockOAuth2Server();
        idp.start();
        forwardauth = new EmbeddedForwardAuth(config(idp.issuerUrl(Logins.ISSUER_ID).toString()));
    }

    static String config(String issuer) {
        return """
                {
                  "domain": "%s",
                  "session-secret": "%s",
                  "default": {
                    "client-id": "forwardauth",
                    "client-secret": "secret",
                    "audience": "%s",
                    "redirect-uri": "https://app.example.com/oauth2/signin",
                    "return-to": "https://app.example.com/bye",
                    "rules": [
                      {"path": "/public/**", "allow": "anonymous"},
                      {"path": "/internal/**", "allow": "deny"}
                    ]
                  }
                }
                """.formatted(issuer, Logins.SESSION_SECRET, AUDIENCE);
    }

    @AfterAll
    void stop() throws Exception {
        forwardauth.close();
        idp.shutdown();
    }

    /** What every page of ours must carry, whatever its status. */
    static void assertOwnPage(int status, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("no-store", Responses.header(response, "Cache-Control"));
        assertEquals("nosniff", Responses.header(response, "X-Content-Type-Options"));
        assertEquals("DENY", Responses.header(response, "X-Frame-Options"));
        assertEquals("no-referrer", Responses.header(response, "Referrer-Policy"));
        String csp = Responses.header(response, "Content-Security-Policy");
        assertTrue(csp.startsWith("default-src 'none'; style-src 'sha256-"), csp);
        assertTrue(csp.contains("frame-ancestors 'none'") && csp.contains("form-action 'none'")
                && csp.contains("base-uri 'none'"), csp);
        assertFalse(csp.contains("unsafe") || csp.contains("script-src"), csp);
        assertFalse(response.body().matches("(?s).*\\sat [a-z]+\\.[\\w.$]+\\(.*"), "a stack trace: " + response.body());
    }

    @Test
    void everyAuthorizeAnswerABrowserCanSeeCarriesThePageHeaders() throws Exception {
        TraefikClient client = new TraefikClient();
        URI authorize = forwardauth.uri("/authorize");

        assertOwnPage(307, client.authorize(authorize, "GET", APP + "/reports", "Accept", "text/html"));
        assertOwnPage(401, client.authorize(authorize, "GET", APP + "/api", "Accept", "application/json"));
        assertOwnPage(401, client.authorize(forwardauth.uri("/auth-request"), "GET", APP + "/", "Accept", "text/html"));
        assertOwnPage(401, client.authorize(authorize, "GET", APP + "/api", "Authorization", "Bearer not-a-jwt"));
        assertOwnPage(403, client.authorize(authorize, "GET", APP + "/internal/x", "Accept", "text/html"));
        assertOwnPage(400, client.authorize(authorize, "GET", APP + "/public/..;/x"));
        assertOwnPage(400, client.authorizeWith(authorize, "X-Forwarded-Method", "GET", "Accept", "text/html"));
    }

    @Test
    void theProxysOwn200SaysNoStore() throws Exception {
        HttpResponse<String> allowed = new TraefikClient().authorize(forwardauth.uri("/authorize"), "GET",
                APP + "/public/page");

        assertEquals(200, allowed.statusCode(), allowed.body());
        assertEquals("no-store", Responses.header(allowed, "Cache-Control"));
    }

    @Test
    void theLoginRoutesCarryThePageHeadersAtEveryStep() throws Exception {
        TraefikClient browser = new TraefikClient();
        URI base = forwardauth.uri("/");

        assertOwnPage(400, browser.route(base, APP + "/oauth2/start", "Accept", "text/html"));
        assertOwnPage(400, browser.route(base, APP + "/oauth2/signin?state=unknown&code=x", "Accept", "text/html"));
        assertOwnPage(401, browser.route(base, APP + "/oauth2/userinfo"));
        assertOwnPage(307, browser.route(base, APP + "/oauth2/start?rd=" + APP + "/reports"));
        HttpResponse<String> toIdp = Logins.start(browser, forwardauth, APP + "/reports");
        HttpResponse<String> signedIn = Logins.finish(browser, forwardauth, idp, toIdp, Logins.user("alice", Map.of()));
        assertOwnPage(302, signedIn);
        assertOwnPage(200, browser.route(base, APP + "/oauth2/userinfo"));
        assertOwnPage(302, browser.route(base, APP + "/oauth2/signout"));
    }

    @ParameterizedTest
    @CsvSource({"/health, 200", "/nothing, 404", "/favicon.ico, 404", "/error, 404", "/oauth2/, 404"})
    void healthAndUnknownPathsCarryThePageHeaders(String path, int status) throws Exception {
        assertOwnPage(status, new TraefikClient().get(forwardauth.uri(path)));
    }

    @ParameterizedTest
    @CsvSource({"POST, /health", "PUT, /signin", "DELETE, /oauth2/start", "OPTIONS, /userinfo", "TRACE, /health",
        "PATCH, /oauth2/userinfo"})
    void otherMethodsOnGetRoutesAreOur405NamingTheAllowedOnes(String method, String path) throws Exception {
        HttpResponse<String> response = new TraefikClient().http.send(HttpRequest.newBuilder(forwardauth.uri(path))
                .method(method, HttpRequest.BodyPublishers.noBody()).header("Accept", "text/html").build(),
                HttpResponse.BodyHandlers.ofString());

        assertOwnPage(405, response);
        assertEquals("GET, HEAD", Responses.header(response, "Allow"));
        assertTrue(Responses.isHtml(response) && response.body().contains("Method not allowed"), response.body());
    }

    @Test
    void headIsAnsweredLikeGetWithoutABody() throws Exception {
        HttpResponse<String> response = new TraefikClient().http.send(HttpRequest.newBuilder(forwardauth.uri("/health"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
        assertEquals("", response.body());
        assertEquals("no-store", Responses.header(response, "Cache-Control"));
    }

    @Test
    void anUnreachableIdentityProvidersAnswerCarriesThePageHeaders() throws Exception {
        // A port nothing listens on. (Not a second MockOAuth2Server shut down: that stops the first one too.)
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (EmbeddedForwardAuth alone = new EmbeddedForwardAuth(config("http://127.0.0.1:" + closedPort + "/"))) {
            HttpResponse<String> response = new TraefikClient().authorize(alone.uri("/authorize"), "GET",
                    APP + "/reports", "Accept", "text/html");

            assertOwnPage(503, response);
            assertEquals(List.of(), response.headers().allValues("Location"));
        }
    }
}
