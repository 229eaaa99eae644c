package dev.forwardauth.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuthorizeFlowIT {
    static final String AUDIENCE = "https://api.example.com";

    MockOAuth2Server idp;
    EmbeddedForwardAuth forwardauth;
    final TraefikClient browser = new TraefikClient();

    @BeforeEach
    void start() throws Exception {
        idp = new MockOAuth2Server();
        idp.start();
        forwardauth = new EmbeddedForwardAuth("""
                {
                  "domain": "%s",
                  "session-secret": "0123456789abcdef0123456789abcdef",
                  "default": {
                    "client-id": "forwardauth",
                    "client-secret": "secret",
                    "audience": "%s",
                    "redirect-uri": "https://app.example.com/oauth2/signin",
                    "rules": [
                      {"path": "/public/**", "allow": "anonymous"},
                      {"path": "/admin/**", "required-scopes": ["admin:site"]}
                    ]
                  }
                }
                """.formatted(idp.issuerUrl("default"), AUDIENCE));
    }

    @AfterEach
    void stop() throws Exception {
        forwardauth.close();
        idp.shutdown();
    }

    @Test
    void browserLogsInAndThenPassesWithIdentityHeaders() throws Exception {
        URI authorize = forwardauth.uri("/authorize");
        HttpResponse<String> first = browser.authorize(authorize, "GET", "https://app.example.com/Reports/Q1?Sort=Desc",
                "Accept", "text/html");
        assertEquals(307, first.statusCode(), first.body());
        String idpUrl = first.headers().firstValue("Location").orElseThrow();
        assertTrue(idpUrl.startsWith(idp.issuerUrl("default").toString()), idpUrl);
        assertTrue(idpUrl.contains("audience="), idpUrl);
        assertTrue(idpUrl.contains("code_challenge_method=S256"), idpUrl);

        idp.enqueueCallback(new DefaultOAuth2TokenCallback("default", "alice", "JWT", List.of(AUDIENCE),
                Map.of("name", "Alice", "email", "alice@example.com", "scope", "openid profile"), 3600));
        HttpResponse<String> atIdp = browser.get(URI.create(idpUrl));
        assertEquals(302, atIdp.statusCode(), atIdp.body());
        URI callback = URI.create(atIdp.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> signin = browser.get(forwardauth.uri(callback.getRawPath() + "?" + callback.getRawQuery()));
        assertEquals(302, signin.statusCode(), signin.body());
        assertEquals("https://app.example.com/Reports/Q1?Sort=Desc", signin.headers().firstValue("Location").orElseThrow());

        HttpResponse<String> pass = browser.authorize(authorize, "GET", "https://app.example.com/Reports/Q1", "Accept", "text/html");
        assertEquals(200, pass.statusCode(), pass.body());
        assertEquals("alice", pass.headers().firstValue("X-Forwarded-User").orElseThrow());
        assertTrue(pass.headers().firstValue("Authorization").orElseThrow().startsWith("Bearer ey"));
        assertEquals("Alice", pass.headers().firstValue("X-Forwardauth-name").orElseThrow());

        HttpResponse<String> admin = browser.authorize(authorize, "GET", "https://app.example.com/admin/x", "Accept", "application/json");
        assertEquals(403, admin.statusCode(), admin.body());
        assertTrue(admin.body().contains("admin:site"), admin.body());
    }
}
