package dev.forwardauth.web;

import static dev.forwardauth.web.Logins.AUDIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * Every row of SPEC section 4's /authorize table, seen from Traefik: status, headers, cookies and body. Each
 * answer is also checked under /oauth2/authorize, and /auth-request (nginx) against the same table.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizeAnswersIT {
    static final String APP = "https://app.example.com";
    static final String START = APP + "/oauth2/start?rd=";

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
                    "redirect-uri": "https://app.example.com/oauth2/signin",
                    "restricted-methods": ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
                    "claims": ["sub", "name", "email", "preferred_username"],
                    "rules": [
                      {"path": "/admin/**", "required-scopes": ["admin:site"]},
                      {"path": "/billing/**", "required-permissions": ["read:billing"]}
                    ]
                  }
                }
                """.formatted(idp.issuerUrl(Logins.ISSUER_ID), Logins.SESSION_SECRET, AUDIENCE));
    }

    @AfterAll
    void stop() throws Exception {
        forwardauth.close();
        idp.shutdown();
    }

    // --- no valid session, browser: 307 to the IdP ---

    @ParameterizedTest
    @ValueSource(strings = {"/authorize", "/oauth2/authorize"})
    void browserWithoutSessionIsSentToTheIdpWithAPendingLoginCookie(String endpoint) throws Exception {
        HttpResponse<String> response = new TraefikClient().authorize(forwardauth.uri(endpoint), "GET",
                APP + "/reports", "Accept", "text/html,application/xhtml+xml");

        assertEquals(307, response.statusCode(), response.body());
        String location = Responses.location(response);
        assertTrue(location.startsWith(idp.authorizationEndpointUrl(Logins.ISSUER_ID) + "?"), location);
        Map<String, String> query = Responses.query(location);
        assertEquals("code", query.get("response_type"));
        assertEquals("forwardauth", query.get("client_id"));
        assertEquals("https://app.example.com/oauth2/signin", query.get("redirect_uri"));
        assertEquals(List.of("openid", "profile", "email"), List.of(query.get("scope").split(" ")));
        assertEquals(AUDIENCE, query.get("audience"));
        assertFalse(query.getOrDefault("state", "").isEmpty(), location);
        assertFalse(query.getOrDefault("nonce", "").isEmpty(), location);
        assertFalse(query.getOrDefault("code_challenge", "").isEmpty(), location);
        assertEquals("S256", query.get("code_challenge_method"));
        assertTrue(Responses.setsPendingLogin(response), response.headers().allValues("Set-Cookie").toString());
        assertFalse(Responses.setsSession(response));
    }

    @Test
    void everyLoginGetsItsOwnStateNonceAndVerifier() throws Exception {
        TraefikClient browser = new TraefikClient();
        Map<String, String> first = Responses.query(Responses.location(Logins.start(browser, forwardauth, APP + "/a")));
        Map<String, String> second = Responses.query(Responses.location(Logins.start(browser, forwardauth, APP + "/a")));

        assertNotEquals(first.get("state"), second.get("state"));
        assertNotEquals(first.get("nonce"), second.get("nonce"));
        assertNotEquals(first.get("code_challenge"), second.get("code_challenge"));
    }

    // --- no valid session, API client or XHR: 401 with the start URL ---

    @ParameterizedTest
    @ValueSource(strings = {"/authorize", "/oauth2/authorize"})
    void apiClientWithoutSessionGets401WithTheStartUrl(String endpoint) throws Exception {
        String original = APP + "/api/items?page=2&sort=name";
        HttpResponse<String> response = new TraefikClient().authorize(forwardauth.uri(endpoint), "GET", original,
                "Accept", "application/json");

        assertUnauthenticatedWithStartUrl(response, original);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/authorize", "/oauth2/authorize"})
    void xhrGets401EvenWhenItAcceptsHtml(String endpoint) throws Exception {
        String original = APP + "/page";
        HttpResponse<String> response = new TraefikClient().authorize(forwardauth.uri(endpoint), "GET", original,
                "Accept", "text/html, */*", "X-Requested-With", "XMLHttpRequest");

        assertUnauthenticatedWithStartUrl(response, original);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TEXT/HTML", "Text/Html; charset=utf-8"})
    void acceptIsCaseInsensitive(String accept) throws Exception {
        HttpResponse<String> response = new TraefikClient().authorize(forwardauth.uri("/authorize"), "GET",
                APP + "/page", "Accept", accept);

        assertEquals(307, response.statusCode(), response.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/html;q=0, application/json", "text/htmlx", "*/*"})
    void acceptThatDoesNotAskForHtmlIsAnApiClient(String accept) throws Exception {
        String original = APP + "/page";
        HttpResponse<String> response = new TraefikClient().authorize(forwardauth.uri("/authorize"), "GET", original,
                "Accept", accept);

        assertUnauthenticatedWithStartUrl(response, original);
    }

    @Test
    void requestWithoutAcceptHeaderIsAnApiClient() throws Exception {
        String original = APP + "/page";
        HttpResponse<String> response = new TraefikClient().authorize(forwardauth.uri("/authorize"), "GET", original);

        assertUnauthenticatedWithStartUrl(response, original);
    }

    // --- allowed anonymously: a method not in restricted-methods ---

    @ParameterizedTest
    @ValueSource(strings = {"/authorize", "/oauth2/authorize", "/auth-request", "/oauth2/auth-request"})
    void methodNotInRestrictedMethodsPassesWithoutIdentityHeaders(String endpoint) throws Exception {
        HttpResponse<String> response = new TraefikClient().authorize(forwardauth.uri(endpoint), "OPTIONS",
                APP + "/reports", "Accept", "text/html");

        assertEquals(200, response.statusCode(), response.body());
        assertNoIdentityHeaders(response);
        assertEquals(List.of(), response.headers().allValues("Set-Cookie"));
    }

    // --- allowed with identity ---

    @ParameterizedTest
    @ValueSource(strings = {"/authorize", "/oauth2/authorize", "/auth-request", "/oauth2/auth-request"})
    void signedInBrowserPassesWithAccessTokenAndIdentityHeaders(String endpoint) throws Exception {
        TraefikClient browser = new TraefikClient();
        Logins.login(browser, forwardauth, idp, APP + "/reports", Logins.user("alice", Map.of(
                "name", "Alice Liddell", "email", "alice@example.com", "preferred_username", "alice_l")));

        HttpResponse<String> response = browser.authorize(forwardauth.uri(endpoint), "GET", APP + "/reports",
                "Accept", "text/html");

        assertEquals(200, response.statusCode(), response.body());
        String authorization = Responses.header(response, "Authorization");
        assertTrue(authorization.startsWith("Bearer "), authorization);
        // The ACCESS token (audience = the API), not the ID token (audience = our client id).
        SignedJWT token = SignedJWT.parse(authorization.substring("Bearer ".length()));
        assertTrue(token.getJWTClaimsSet().getAudience().contains(AUDIENCE), token.getJWTClaimsSet().toString());
        assertFalse(token.getJWTClaimsSet().getAudience().contains("forwardauth"), token.getJWTClaimsSet().toString());
        assertEquals("alice", Responses.header(response, "X-Forwarded-User"));
        assertEquals("alice", Responses.header(response, "X-Forwardauth-sub"));
        assertEquals("Alice Liddell", Responses.header(response, "X-Forwardauth-name"));
        assertEquals("alice@example.com", Responses.header(response, "X-Forwardauth-email"));
        // Lower case, "_" becomes "-".
        assertEquals("alice_l", Responses.header(response, "X-Forwardauth-preferred-username"));
        assertTrue(response.headers().map().containsKey("X-Forwardauth-preferred-username")
                || response.headers().map().containsKey("x-forwardauth-preferred-username"),
                response.headers().map().keySet().toString());
    }

    @Test
    void claimValuesAreSingleLine() throws Exception {
        TraefikClient browser = new TraefikClient();
        Logins.login(browser, forwardauth, idp, APP + "/", Logins.user("mallory", Map.of(
                "name", "Mallory\r\nX-Forwarded-User: admin", "email", "m@example.com\n")));

        HttpResponse<String> response = browser.authorize(forwardauth.uri("/authorize"), "GET", APP + "/",
                "Accept", "text/html");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("MalloryX-Forwarded-User: admin", Responses.header(response, "X-Forwardauth-name"));
        assertEquals("m@example.com", Responses.header(response, "X-Forwardauth-email"));
        assertEquals(List.of("mallory"), response.headers().allValues("X-Forwarded-User"));
    }

    @Test
    void claimValuesBeyondAsciiGoUpstreamAsUtf8() throws Exception {
        TraefikClient browser = new TraefikClient();
        Logins.login(browser, forwardauth, idp, APP + "/", Logins.user("émile", Map.of(
                "name", "Émile Zoë 日本", "email", "emile@example.com")));

        HttpResponse<String> response = browser.authorize(forwardauth.uri("/authorize"), "GET", APP + "/",
                "Accept", "text/html");

        assertEquals(200, response.statusCode(), response.body());
        // The client reads header bytes as ISO-8859-1, one character per byte: decode those bytes as UTF-8.
        assertEquals("Émile Zoë 日本", utf8(Responses.header(response, "X-Forwardauth-name")));
        assertEquals("émile", utf8(Responses.header(response, "X-Forwarded-User")));
    }

    @Test
    void objectAndListClaimsOfABearerTokenAreJsonAndCommaJoined() throws Exception {
        String token = Logins.accessToken(idp, "service-1", Map.of("scope", "read:items",
                "name", Map.of("given", "Batch"), "email", List.of("a@example.com", "b@example.com")));

        HttpResponse<String> response = new TraefikClient().authorize(forwardauth.uri("/authorize"), "GET",
                APP + "/api/items", "Accept", "application/json", "Authorization", "Bearer " + token);

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("{\"given\":\"Batch\"}", Responses.header(response, "X-Forwardauth-name"));
        assertEquals("a@example.com,b@example.com", Responses.header(response, "X-Forwardauth-email"));
    }

    private static String utf8(String isoLatin1) {
        return new String(isoLatin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    // --- Authorization: Bearer <JWT> from an API client ---

    @ParameterizedTest
    @ValueSource(strings = {"/authorize", "/oauth2/authorize", "/auth-request", "/oauth2/auth-request"})
    void validBearerTokenPassesWithoutCookieAndGoesUpstreamUntouched(String endpoint) throws Exception {
        String token = Logins.accessToken(idp, "service-1", Map.of("scope", "read:items", "name", "Batch job"));

        HttpResponse<String> response = new TraefikClient().authorize(forwardauth.uri(endpoint), "GET",
                APP + "/api/items", "Accept", "application/json", "Authorization", "Bearer " + token);

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("Bearer " + token, Responses.header(response, "Authorization"));
        assertEquals("service-1", Responses.header(response, "X-Forwarded-User"));
        assertEquals("Batch job", Responses.header(response, "X-Forwardauth-name"));
        assertEquals(List.of(), response.headers().allValues("Set-Cookie"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bearer ", "BEARER ", "Bearer  "})
    void theBearerSchemeIsCaseInsensitive(String scheme) throws Exception {
        String token = Logins.accessToken(idp, "service-1", Map.of("scope", "read:items"));

        HttpResponse<String> response = new TraefikClient().authorize(forwardauth.uri("/authorize"), "GET",
                APP + "/api/items", "Accept", "application/json", "Authorization", scheme + token);

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("Bearer " + token, Responses.header(response, "Authorization"));
    }

    @Test
    void expiredBearerTokenGets401NamingTheProblem() throws Exception {
        // Beyond the validator's clock skew (60 s).
        String token = Logins.accessToken(idp, "service-1", List.of(AUDIENCE), Map.of(), -600);

        HttpResponse<String> response = new TraefikClient().authorize(forwardauth.uri("/authorize"), "GET",
                APP + "/api/items", "Accept", "application/json", "Authorization", "Bearer " + token);

        assertEquals(401, response.statusCode(), response.body());
        String challenge = Responses.header(response, "WWW-Authenticate");
        assertTrue(challenge.startsWith("Bearer"), challenge);
        assertTrue(challenge.contains("error=\"invalid_token\""), challenge);
        assertTrue(challenge.matches(".*error_description=\"[^\"]*expired[^\"]*\".*"), challenge);
        assertEquals("unauthorized", Responses.json(response).get("error"));
    }

    @Test
    void bearerTokenForAnotherApiGets401NamingTheAudience() throws Exception {
        String token = Logins.accessToken(idp, "service-1", List.of("https://other-api.example.com"), Map.of(), 3600);

        HttpResponse<String> response = new TraefikClient().authorize(forwardauth.uri("/authorize"), "GET",
                APP + "/api/items", "Accept", "application/json", "Authorization", "Bearer " + token);

        assertEquals(401, response.statusCode(), response.body());
        String challenge = Responses.header(response, "WWW-Authenticate");
        assertTrue(challenge.matches(".*error_description=\"[^\"]*audience[^\"]*\".*"), challenge);
        assertTrue(challenge.contains(AUDIENCE), challenge);
    }

    @Test
    void refusedBearerTokenFromABrowserIsNeverTurnedIntoALogin() throws Exception {
        HttpResponse<String> response = new TraefikClient().authorize(forwardauth.uri("/authorize"), "GET",
                APP + "/", "Accept", "text/html", "Authorization", "Bearer not.a.jwt");

        assertEquals(401, response.statusCode(), response.body());
        assertFalse(Responses.setsPendingLogin(response));
    }

    @Test
    void bearerTokenLackingAScopeGets403NamingIt() throws Exception {
        String token = Logins.accessToken(idp, "service-1", Map.of("scope", "read:items"));

        HttpResponse<String> response = new TraefikClient().authorize(forwardauth.uri("/authorize"), "GET",
                APP + "/admin/users", "Accept", "application/json", "Authorization", "Bearer " + token);

        assertEquals(403, response.statusCode(), response.body());
        assertEquals(List.of("admin:site"), Responses.json(response).get("missing_scopes"));
    }

    // --- logged in, lacking a permission or scope: 403, never a redirect ---

    @ParameterizedTest
    @ValueSource(strings = {"/authorize", "/oauth2/authorize", "/auth-request", "/oauth2/auth-request"})
    void signedInUserLackingAScopeGets403NamingIt(String endpoint) throws Exception {
        TraefikClient browser = new TraefikClient();
        Logins.login(browser, forwardauth, idp, APP + "/", Logins.user("bob", Map.of("scope", "openid profile")));

        HttpResponse<String> page = browser.authorize(forwardauth.uri(endpoint), "GET", APP + "/admin/users",
                "Accept", "text/html");
        HttpResponse<String> api = browser.authorize(forwardauth.uri(endpoint), "GET", APP + "/admin/users",
                "Accept", "application/json");

        assertEquals(403, page.statusCode(), page.body());
        assertFalse(Responses.hasHeader(page, "Location"));
        assertTrue(Responses.isHtml(page), page.headers().map().toString());
        assertTrue(page.body().contains("admin:site"), page.body());
        assertEquals(403, api.statusCode(), api.body());
        assertFalse(Responses.hasHeader(api, "Location"));
        Map<String, Object> json = Responses.json(api);
        assertEquals(List.of("admin:site"), json.get("missing_scopes"));
        assertEquals(List.of(), json.get("missing_permissions"));
        assertNoIdentityHeaders(page);
        assertNoIdentityHeaders(api);
    }

    @Test
    void signedInUserLackingAPermissionGets403NamingIt() throws Exception {
        TraefikClient browser = new TraefikClient();
        Logins.login(browser, forwardauth, idp, APP + "/", Logins.user("bob", Map.of(
                "scope", "openid", "permissions", List.of("read:reports"))));

        HttpResponse<String> page = browser.authorize(forwardauth.uri("/authorize"), "GET", APP + "/billing/x",
                "Accept", "text/html");
        HttpResponse<String> api = browser.authorize(forwardauth.uri("/authorize"), "GET", APP + "/billing/x",
                "Accept", "application/json");

        assertEquals(403, page.statusCode(), page.body());
        assertTrue(page.body().contains("read:billing"), page.body());
        assertEquals(403, api.statusCode(), api.body());
        assertEquals(List.of("read:billing"), Responses.json(api).get("missing_permissions"));
    }

    @Test
    void signedInUserWithTheScopeAndPermissionPasses() throws Exception {
        TraefikClient browser = new TraefikClient();
        Logins.login(browser, forwardauth, idp, APP + "/", Logins.user("carol", Map.of(
                "scope", "openid admin:site", "permissions", List.of("read:billing"))));

        assertEquals(200, browser.authorize(forwardauth.uri("/authorize"), "GET", APP + "/admin/users",
                "Accept", "text/html").statusCode());
        assertEquals(200, browser.authorize(forwardauth.uri("/authorize"), "GET", APP + "/billing/x",
                "Accept", "text/html").statusCode());
    }

    // --- /auth-request (nginx): 401 with the start URL where /authorize says 307 ---

    @ParameterizedTest
    @ValueSource(strings = {"/auth-request", "/oauth2/auth-request"})
    void nginxGets401WithTheStartUrlWhereTraefikGets307(String endpoint) throws Exception {
        String original = APP + "/reports/2024?view=full";
        HttpResponse<String> response = new TraefikClient().authorize(forwardauth.uri(endpoint), "GET", original,
                "Accept", "text/html");

        assertUnauthenticatedWithStartUrl(response, original);
        assertTrue(Responses.isHtml(response), "a browser gets a page");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/auth-request", "/oauth2/auth-request"})
    void nginxApiClientGetsTheSame401(String endpoint) throws Exception {
        String original = APP + "/api/items";
        HttpResponse<String> response = new TraefikClient().authorize(forwardauth.uri(endpoint), "GET", original,
                "Accept", "application/json");

        assertUnauthenticatedWithStartUrl(response, original);
    }

    private static void assertUnauthenticatedWithStartUrl(HttpResponse<String> response, String original) {
        assertEquals(401, response.statusCode(), response.body());
        assertTrue(Responses.header(response, "WWW-Authenticate").startsWith("Bearer"),
                Responses.header(response, "WWW-Authenticate"));
        assertEquals(START + URLEncoder.encode(original, StandardCharsets.UTF_8), Responses.location(response));
        assertEquals(original, Responses.query(Responses.location(response)).get("rd"));
        if (Responses.isHtml(response)) {
            // nginx's error_page replaces it; a browser reaching it directly reads a page.
            assertTrue(response.body().contains("Sign-in required"), response.body());
        } else {
            assertEquals("unauthorized", Responses.json(response).get("error"));
        }
        assertFalse(Responses.setsPendingLogin(response), "a 401 starts no login");
        assertNoIdentityHeaders(response);
    }

    private static void assertNoIdentityHeaders(HttpResponse<String> response) {
        assertFalse(Responses.hasHeader(response, "Authorization"), response.headers().map().toString());
        assertFalse(Responses.hasHeader(response, "X-Forwarded-User"), response.headers().map().toString());
        assertTrue(response.headers().map().keySet().stream()
                .noneMatch(name -> name.toLowerCase().startsWith("x-forwardauth-")), response.headers().map().toString());
    }
}
