package dev.forwardauth.web;

import static dev.forwardauth.web.Logins.AUDIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The X-Forwarded-* headers as the proxy sends them (SPEC 3 trusted-proxies, SPEC 4): only a trusted peer
 * may describe the request, each required header is named when it is missing or malformed, and
 * X-Forwarded-Prefix is put back in front of the URI for the rules and for the return URL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForwardedHeadersIT {
    static final String APP = "https://app.example.com";
    static final String[] REQUIRED = {"X-Forwarded-Method", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Uri"};

    MockOAuth2Server idp;
    EmbeddedForwardAuth forwardauth;

    @BeforeAll
    void start() throws Exception {
        idp = new MockOAuth2Server();
        idp.start();
        forwardauth = new EmbeddedForwardAuth(config(""));
    }

    @AfterAll
    void stop() throws Exception {
        forwardauth.close();
        idp.shutdown();
    }

    private String config(String topLevelExtra) {
        return """
                {
                  "domain": "%s",
                  "session-secret": "%s",
                  %s
                  "default": {
                    "client-id": "forwardauth",
                    "client-secret": "secret",
                    "audience": "%s",
                    "redirect-uri": "https://app.example.com/oauth2/signin",
                    "rules": [
                      {"path": "/shop/public/**", "allow": "anonymous"},
                      {"path": "/shop/admin/**", "required-scopes": ["admin:site"]}
                    ]
                  }
                }
                """.formatted(idp.issuerUrl(Logins.ISSUER_ID), Logins.SESSION_SECRET, topLevelExtra, AUDIENCE);
    }

    // --- trusted proxies ---

    @Test
    void peerOutsideTrustedProxiesGets403WhateverItClaims() throws Exception {
        try (EmbeddedForwardAuth strict = new EmbeddedForwardAuth(config("\"trusted-proxies\": [\"10.0.0.0/8\", \"::1/128\"],"))) {
            String token = Logins.accessToken(idp, "service-1", Map.of());
            for (String endpoint : List.of("/authorize", "/oauth2/authorize", "/auth-request")) {
                HttpResponse<String> anonymousPath = new TraefikClient().authorize(strict.uri(endpoint), "GET",
                        APP + "/shop/public/a.css", "Accept", "application/json");
                HttpResponse<String> withToken = new TraefikClient().authorize(strict.uri(endpoint), "GET",
                        APP + "/", "Accept", "application/json", "Authorization", "Bearer " + token);

                assertEquals(403, anonymousPath.statusCode(), endpoint + ": " + anonymousPath.body());
                assertTrue(Responses.json(anonymousPath).get("message").toString().contains("trusted"),
                        anonymousPath.body());
                assertEquals(403, withToken.statusCode(), endpoint + ": " + withToken.body());
                assertFalse(Responses.hasHeader(withToken, "X-Forwarded-User"));
            }
        }
    }

    // --- required headers ---

    @ParameterizedTest
    @ValueSource(strings = {"/authorize", "/oauth2/authorize", "/auth-request", "/oauth2/auth-request"})
    void eachMissingHeaderGets400NamingIt(String endpoint) throws Exception {
        String token = Logins.accessToken(idp, "service-1", Map.of());
        for (String missing : REQUIRED) {
            Map<String, String> headers = valid();
            headers.remove(missing);
            headers.put("Authorization", "Bearer " + token); // would pass if the request were complete

            HttpResponse<String> response = new TraefikClient().authorizeWith(forwardauth.uri(endpoint), pairs(headers));

            assertEquals(400, response.statusCode(), missing + ": " + response.body());
            assertEquals(missing + ": required", Responses.json(response).get("message"), response.body());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "X-Forwarded-Method | GE(T",
            "X-Forwarded-Proto  | ftp",
            "X-Forwarded-Host   | app.example.com/evil",
            "X-Forwarded-Host   | app.example.com:99999",
            "X-Forwarded-Host   | user@app.example.com",
            "X-Forwarded-Uri    | reports",
            "X-Forwarded-Uri    | https://app.example.com/reports",
    })
    void malformedHeaderGets400NamingIt(String name, String value) throws Exception {
        Map<String, String> headers = valid();
        headers.put(name, value);

        HttpResponse<String> response = new TraefikClient().authorizeWith(forwardauth.uri("/authorize"),
                pairs(headers));

        assertEquals(400, response.statusCode(), response.body());
        assertTrue(Responses.json(response).get("message").toString().startsWith(name + ": "), response.body());
    }

    @Test
    void headerSentTwiceGets400() throws Exception {
        HttpResponse<String> response = new TraefikClient().authorizeWith(forwardauth.uri("/authorize"),
                "X-Forwarded-Method", "GET", "X-Forwarded-Proto", "https", "X-Forwarded-Uri", "/shop/public/a.css",
                "X-Forwarded-Host", "app.example.com", "X-Forwarded-Host", "evil.example.net",
                "Accept", "application/json");

        assertEquals(400, response.statusCode(), response.body());
        assertTrue(response.body().contains("X-Forwarded-Host"), response.body());
    }

    // --- X-Forwarded-Prefix ---

    @ParameterizedTest
    @ValueSource(strings = {"/shop", "/shop/"})
    void prefixIsPutBackInFrontForRuleMatching(String prefix) throws Exception {
        HttpResponse<String> withPrefix = authorizeWithPrefix(prefix, "/public/logo.png");
        HttpResponse<String> withoutPrefix = authorizeWithPrefix(null, "/public/logo.png");

        assertEquals(200, withPrefix.statusCode(), "/shop/public/** is anonymous: " + withPrefix.body());
        assertEquals(401, withoutPrefix.statusCode(), "/public/logo.png matches no rule: " + withoutPrefix.body());
    }

    @Test
    void prefixedAdminPathNeedsTheAdminRule() throws Exception {
        String token = Logins.accessToken(idp, "service-1", Map.of("scope", "read"));

        HttpResponse<String> response = authorizeWithPrefix("/shop", "/admin/users", "Authorization", "Bearer " + token);

        assertEquals(403, response.statusCode(), response.body());
        assertEquals(List.of("admin:site"), Responses.json(response).get("missing_scopes"));
    }

    @Test
    void prefixIsPartOfTheUrlTheUserReturnsTo() throws Exception {
        HttpResponse<String> api = authorizeWithPrefix("/shop", "/Orders/7?view=Full");
        assertEquals(401, api.statusCode(), api.body());
        assertEquals(APP + "/oauth2/start?rd=" + URLEncoder.encode(APP + "/shop/Orders/7?view=Full",
                StandardCharsets.UTF_8), Responses.location(api));

        TraefikClient browser = new TraefikClient();
        Map<String, String> headers = valid();
        headers.put("X-Forwarded-Prefix", "/shop");
        headers.put("X-Forwarded-Uri", "/Orders/7?view=Full");
        headers.put("Accept", "text/html");
        HttpResponse<String> toIdp = browser.authorizeWith(forwardauth.uri("/authorize"), pairs(headers));
        assertEquals(307, toIdp.statusCode(), toIdp.body());
        HttpResponse<String> signin = Logins.finish(browser, forwardauth, idp, toIdp, Logins.user("alice", Map.of()));
        assertEquals(302, signin.statusCode(), signin.body());
        assertEquals(APP + "/shop/Orders/7?view=Full", Responses.location(signin));
    }

    @Test
    void dotDotInTheUriCannotClimbIntoThePrefix() throws Exception {
        // "/shop" + "/../public/x" must not become "/public/x" nor "/shop/public/x" by accident.
        HttpResponse<String> response = authorizeWithPrefix("/shop/admin", "/../public/x");

        assertEquals(400, response.statusCode(), response.body());
        assertTrue(Responses.json(response).get("message").toString().startsWith("X-Forwarded-Uri: "), response.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"//evil.example.net", "https://evil.example.net", "shop", "/shop/../admin", "/shop/./x",
            "/shop/%2e%2e", "/shop?x=1", "/shop#x", "/sh\\op", "/shop;x=1"})
    void malformedPrefixGets400NamingIt(String prefix) throws Exception {
        HttpResponse<String> response = authorizeWithPrefix(prefix, "/public/logo.png");

        assertEquals(400, response.statusCode(), prefix + ": " + response.body());
        assertTrue(Responses.json(response).get("message").toString().startsWith("X-Forwarded-Prefix: "),
                response.body());
    }

    private HttpResponse<String> authorizeWithPrefix(String prefix, String uri, String... extra) throws Exception {
        Map<String, String> headers = valid();
        headers.put("X-Forwarded-Uri", uri);
        if (prefix != null) {
            headers.put("X-Forwarded-Prefix", prefix);
        }
        for (int i = 0; i < extra.length; i += 2) {
            headers.put(extra[i], extra[i + 1]);
        }
        return new TraefikClient().authorizeWith(forwardauth.uri("/authorize"), pairs(headers));
    }

    /** What Traefik sends for GET https://app.example.com/shop/public/a.css from an API client. */
    private static Map<String, String> valid() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Forwarded-Method", "GET");
        headers.put("X-Forwarded-Proto", "https");
        headers.put("X-Forwarded-Host", "app.example.com");
        headers.put("X-Forwarded-Uri", "/shop/public/a.css");
        headers.put("Accept", "application/json");
        return headers;
    }

    private static String[] pairs(Map<String, String> headers) {
        List<String> pairs = new ArrayList<>();
        headers.forEach((name, value) -> {
            pairs.add(name);
            pairs.add(value);
        });
        return pairs.toArray(new String[0]);
    }
}
