package dev.forwardauth.web;

import static dev.forwardauth.web.Logins.AUDIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
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
 * Per-path rules end to end (SPEC 3, docs/policy.md): access tokens with different scopes and permissions,
 * as API clients send them, through a config with public assets, anonymous reads with authenticated writes,
 * an admin area by scope, writes by permission and a denied path. The first matching rule decides alone.
 * Path tricks get the decision of the path the upstream would serve, or 400.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyIT {
    static final String APP = "https://app.example.com";

    MockOAuth2Server idp;
    EmbeddedForwardAuth forwardauth;
    Map<String, String> tokens;

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
                    "required-scopes": ["app:use"],
                    "rules": [
                      {"path": "/assets/**", "allow": "anonymous"},
                      {"path": "/public/**", "allow": "anonymous"},
                      {"path": "/blog/**", "methods": ["GET", "HEAD"], "allow": "anonymous"},
                      {"path": "/blog/**"},
                      {"path": "/admin/**", "required-scopes": ["admin:site"]},
                      {"path": "/api/**", "methods": ["POST", "PUT", "PATCH", "DELETE"],
                       "required-permissions": ["write:api"]},
                      {"path": "/api/**", "required-permissions": ["read:api"]},
                      {"path": "/internal/**", "allow": "deny"}
                    ]
                  }
                }
                """.formatted(idp.issuerUrl(Logins.ISSUER_ID), Logins.SESSION_SECRET, AUDIENCE));
        tokens = Map.of(
                "reader", Logins.accessToken(idp, "reader", Map.of("scope", "openid app:use",
                        "permissions", List.of("read:api"))),
                "writer", Logins.accessToken(idp, "writer", Map.of("scope", "openid",
                        "permissions", List.of("read:api", "write:api"))),
                "admin", Logins.accessToken(idp, "admin", Map.of("scope", "openid admin:site app:use")),
                // RFC 9068 / Azure style: scopes as an "scp" array, header typ at+jwt.
                "scp-admin", idp.issueToken(Logins.ISSUER_ID, Logins.CLIENT_ID,
                        new no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback(Logins.ISSUER_ID, "scp-admin",
                                "at+jwt", List.of(AUDIENCE), Map.of("scp", List.of("admin:site")), 3600)).serialize(),
                // An ID token's audience is our client id: it must never authorize anything (SPEC 1).
                "id-token", Logins.accessToken(idp, "admin", List.of(Logins.CLIENT_ID),
                        Map.of("scope", "openid admin:site app:use", "permissions", List.of("read:api", "write:api")), 3600));
    }

    @AfterAll
    void stop() throws Exception {
        forwardauth.close();
        idp.shutdown();
    }

    @ParameterizedTest(name = "{0} {1} as {2}: {3}")
    @CsvSource({
            // public assets: anyone; identity headers when the token is valid
            "GET,    /assets/app.css,      none,      200",
            "GET,    /assets/app.css,      reader,    200",
            "POST,   /assets/upload,       none,      200",
            // anonymous reads, authenticated writes (no scope needed: the rule decides alone)
            "GET,    /blog/post-1,         none,      200",
            "HEAD,   /blog/post-1,         none,      200",
            "POST,   /blog/post-1,         none,      401",
            "POST,   /blog/post-1,         writer,    200",
            "DELETE, /blog/post-1,         reader,    200",
            // admin area by scope (scope string or scp array)
            "GET,    /admin,               reader,    403",
            "GET,    /admin/users,         admin,     200",
            "GET,    /admin/users,         scp-admin, 200",
            "GET,    /admin/users,         none,      401",
            "GET,    /administrator,       admin,     200",
            "GET,    /administrator,       writer,    403",
            // writes by permission, reads by another
            "GET,    /api/items,           reader,    200",
            "POST,   /api/items,           reader,    403",
            "POST,   /api/items,           writer,    200",
            "PATCH,  /api/items/1,         writer,    200",
            "GET,    /api/items,           admin,     403",
            // denied whoever asks
            "GET,    /internal/metrics,    none,      403",
            "GET,    /internal/metrics,    admin,     403",
            "POST,   /internal/metrics,    writer,    403",
            // no rule: the app-wide required-scopes
            "GET,    /dashboard,           reader,    200",
            "GET,    /dashboard,           writer,    403",
            "GET,    /dashboard,           none,      401",
            // an ID token is not an access token for the API, whatever it claims
            "GET,    /dashboard,           id-token,  401",
            "POST,   /api/items,           id-token,  401",
    })
    void decision(String method, String path, String who, int status) throws Exception {
        HttpResponse<String> response = decide(method, path, who);

        assertEquals(status, response.statusCode(), response.body());
        if (status == 200 && !who.equals("none")) {
            assertEquals(who, Responses.header(response, "X-Forwarded-User"));
            assertEquals("Bearer " + tokens.get(who), Responses.header(response, "Authorization"));
        }
        if (status == 200 && who.equals("none")) {
            assertFalse(Responses.hasHeader(response, "X-Forwarded-User"));
        }
    }

    @Test
    void forbiddenAnswersNameWhatIsMissing() throws Exception {
        assertEquals(List.of("admin:site"), Responses.json(decide("GET", "/admin/users", "reader")).get("missing_scopes"));
        assertEquals(List.of("write:api"),
                Responses.json(decide("POST", "/api/items", "reader")).get("missing_permissions"));
        assertEquals(List.of("app:use"), Responses.json(decide("GET", "/dashboard", "writer")).get("missing_scopes"));
    }

    @Test
    void anonymousRuleIgnoresABadTokenAndNeverStartsALogin() throws Exception {
        for (String authorization : new String[] {"Bearer garbage", "Bearer " + tokens.get("id-token"), "Basic Zm9vOmJhcg=="}) {
            HttpResponse<String> response = new TraefikClient().authorizeWith(forwardauth.uri("/authorize"),
                    headers("GET", "/assets/app.css", "text/html", "Authorization", authorization));

            assertEquals(200, response.statusCode(), authorization + ": " + response.body());
            assertFalse(Responses.hasHeader(response, "X-Forwarded-User"));
            assertFalse(Responses.hasHeader(response, "Authorization"));
            assertEquals(List.of(), response.headers().allValues("Set-Cookie"));
        }
        HttpResponse<String> browser = new TraefikClient().authorizeWith(forwardauth.uri("/authorize"),
                headers("GET", "/public/index.html", "text/html"));
        assertEquals(200, browser.statusCode(), browser.body());
        assertFalse(Responses.setsPendingLogin(browser));
    }

    @Test
    void anonymousRuleSendsIdentityHeadersForASignedInBrowser() throws Exception {
        TraefikClient browser = new TraefikClient();
        Logins.login(browser, forwardauth, idp, APP + "/dashboard", Logins.user("alice", Map.of(
                "name", "Alice", "scope", "openid app:use")));

        HttpResponse<String> response = browser.authorize(forwardauth.uri("/authorize"), "GET", APP + "/assets/app.css",
                "Accept", "text/css");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("alice", Responses.header(response, "X-Forwarded-User"));
        assertEquals("Alice", Responses.header(response, "X-Forwardauth-name"));
        assertTrue(Responses.header(response, "Authorization").startsWith("Bearer ey"));
    }

    // --- bypass vectors: the decision of the path the upstream serves, or 400 ---

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "/private?x=/public/a                | 401",
            "/private?/public/a                  | 401",
            "/public/../private                  | 401",
            "/public/%2e%2e/private              | 401",
            "/public/%2E%2E/private              | 401",
            "/public/.%2e/private                | 401",
            "/PUBLIC/a                           | 401",
            "/Public/a                           | 401",
            "//private                           | 401",
            "/public/../internal/x               | 403",
            "/assets/../internal/x               | 403",
            "/internal/../public/a               | 200",
            "/public/./a                         | 200",
            "//public/a                          | 200",
            "/%70ublic/a                         | 200",
            "/%2Fpublic/a                        | 400",
            "/public%2fprivate                   | 400",
            "/public%2F..%2Fprivate              | 400",
            "/public/%2e%2e%2fprivate            | 400",
            "/public;/private                    | 400",
            "/public/..;/private                 | 400",
            "/public;jsessionid=1/../private     | 400",
            "/public\\..\\private                | 400",
            "/public%5c..%5cprivate              | 400",
            "/public/a#/../../private            | 400",
            "/public/a%00.css                    | 400",
            "/public/%2e%2e/%2e%2e/private       | 400",
            "/..                                 | 400",
            "/private//../public/a               | 400",
            "/public/%zz                         | 400",
    })
    void bypassVector(String uri, int status) throws Exception {
        HttpResponse<String> response = new TraefikClient().authorizeWith(forwardauth.uri("/authorize"),
                headers("GET", uri, "application/json"));

        assertEquals(status, response.statusCode(), uri + ": " + response.body());
        if (status == 400) {
            assertTrue(Responses.json(response).get("message").toString().startsWith("X-Forwarded-Uri: "), response.body());
        }
    }

    private HttpResponse<String> decide(String method, String path, String who) throws Exception {
        List<String> extra = new ArrayList<>();
        if (!who.equals("none")) {
            extra.add("Authorization");
            extra.add("Bearer " + tokens.get(who));
        }
        return new TraefikClient().authorizeWith(forwardauth.uri("/authorize"),
                headers(method, path, "application/json", extra.toArray(new String[0])));
    }

    private static String[] headers(String method, String uri, String accept, String... extra) {
        List<String> headers = new ArrayList<>(List.of("X-Forwarded-Method", method, "X-Forwarded-Proto", "https",
                "X-Forwarded-Host", "app.example.com", "X-Forwarded-Uri", uri, "Accept", accept));
        headers.addAll(List.of(extra));
        return headers.toArray(new String[0]);
    }
}
