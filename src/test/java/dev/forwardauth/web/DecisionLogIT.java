package dev.forwardauth.web;

import static dev.forwardauth.web.Logins.AUDIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The decision log (docs/operations.md): one JSON line per /authorize decision on standard output, never a
 * token, cookie or secret, even when the requests carry them; {@code decision-log} turns it down or off.
 */
class DecisionLogIT {
    static final String APP = "https://app.example.com";
    static final String CLIENT_SECRET = "client-secret-that-must-not-be-logged";

    MockOAuth2Server idp;
    EmbeddedForwardAuth forwardauth;
    PrintStream stdout;
    final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    final TraefikClient browser = new TraefikClient();

    @BeforeEach
    void start() {
        idp = new MockOAuth2Server();
        idp.start();
        // The decision log writes to the standard output it finds when forwardauth starts: capture it, and still
        // show it.
        stdout = System.out;
        PrintStream original = stdout;
        System.setOut(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                synchronized (captured) {
                    captured.write(b);
                }
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                original.write(bytes, offset, length);
                synchronized (captured) {
                    captured.write(bytes, offset, length);
                }
            }
        }, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() throws Exception {
        System.setOut(stdout);
        if (forwardauth != null) {
            forwardauth.close();
        }
        idp.shutdown();
    }

    private void forwardauth(String topLevelExtra) throws Exception {
        forwardauth = new EmbeddedForwardAuth("""
                {
                  "domain": "%s",
                  "session-secret": "%s",
                  %s
                  "apps": [{
                    "name": "app.example.com",
                    "client-id": "%s",
                    "client-secret": "%s",
                    "audience": "%s",
                    "redirect-uri": "https://app.example.com/oauth2/signin",
                    "rules": [
                      {"path": "/public/**", "allow": "anonymous"},
                      {"path": "/admin/**", "required-scopes": ["admin:site"]}
                    ]
                  }]
                }
                """.formatted(idp.issuerUrl(Logins.ISSUER_ID), Logins.SESSION_SECRET, topLevelExtra, Logins.CLIENT_ID,
                CLIENT_SECRET, AUDIENCE));
    }

    /** Stops forwardauth (which writes out what is queued) and reads the decision lines it wrote. */
    private List<String> decisionLines() throws Exception {
        forwardauth.close();
        forwardauth = null;
        String text;
        synchronized (captured) {
            text = captured.toString(StandardCharsets.UTF_8);
        }
        return text.lines().filter(line -> line.startsWith("{\"time\":")).toList();
    }

    private static JsonObject json(String line) {
        try (var reader = Json.createReader(new StringReader(line))) {
            return reader.readObject();
        }
    }

    private static JsonObject byRequestId(List<JsonObject> decisions, String id) {
        return decisions.stream().filter(d -> d.getString("request_id").equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no decision " + id + " in " + decisions));
    }

    private HttpResponse<String> authorize(TraefikClient client, String path, String... headers) throws Exception {
        return client.authorize(forwardauth.uri("/authorize"), "GET", APP + path, headers);
    }

    @Test
    void everyDecisionIsOneJsonLineWithoutTokensCookiesOrSecrets() throws Exception {
        forwardauth("");
        HttpResponse<String> toIdp = Logins.start(browser, forwardauth, APP + "/reports?code=QUERY-CODE-VALUE");
        HttpResponse<String> signin = Logins.finish(browser, forwardauth, idp, toIdp,
                Logins.user("alice", Map.of("scope", "openid profile")));
        assertEquals(302, signin.statusCode(), signin.body());
        List<String> secrets = new ArrayList<>(browser.cookies.values());
        secrets.add(CLIENT_SECRET);
        secrets.add(Logins.SESSION_SECRET);
        secrets.add("QUERY-CODE-VALUE");

        HttpResponse<String> passed = authorize(browser, "/reports", "X-Request-Id", "proxy-id-1");
        assertEquals(200, passed.statusCode());
        secrets.add(passed.headers().firstValue("Authorization").orElseThrow().substring("Bearer ".length()));
        assertEquals(403, authorize(browser, "/admin/users?access_token=QUERY-TOKEN-VALUE",
                "X-Request-Id", "proxy-id-2").statusCode());
        secrets.add("QUERY-TOKEN-VALUE");
        String bearer = Logins.accessToken(idp, "svc", Map.of("scope", "admin:site"));
        secrets.add(bearer);
        assertEquals(200, authorize(new TraefikClient(), "/admin/x", "Authorization", "Bearer " + bearer,
                "X-Request-Id", bearer).statusCode());
        String forged = bearer.substring(0, bearer.lastIndexOf('.') + 1) + "c2lnbmF0dXJl";
        secrets.add(forged);
        assertEquals(401, authorize(new TraefikClient(), "/x", "Authorization", "Bearer " + forged,
                "Cookie", "FORWARDAUTH=not-a-session-cookie-value", "X-Request-Id", "proxy-id-4").statusCode());
        secrets.add("not-a-session-cookie-value");
        // A quote is a legal path character; a backslash is refused (400), its path logged without the query.
        assertEquals(307, new TraefikClient().authorizeWith(forwardauth.uri("/authorize"), "X-Forwarded-Method", "GET",
                "X-Forwarded-Proto", "https", "X-Forwarded-Host", "app.example.com", "X-Forwarded-Uri",
                "/say\"hello\",\"status\":200", "Accept", "text/html", "X-Request-Id", "proxy-id-5").statusCode());
        assertEquals(400, new TraefikClient().authorizeWith(forwardauth.uri("/authorize"), "X-Forwarded-Method", "GET",
                "X-Forwarded-Proto", "https", "X-Forwarded-Host", "app.example.com", "X-Forwarded-Uri",
                "/public\\..\\admin?id_token=QUERY-ID-TOKEN", "X-Request-Id", "proxy-id-6").statusCode());
        secrets.add("QUERY-ID-TOKEN");

        List<String> lines = decisionLines();
        assertEquals(7, lines.size(), String.join("\n", lines));
        for (String line : lines) {
            for (String secret : secrets) {
                assertFalse(line.contains(secret), "the decision log holds " + secret + ": " + line);
            }
        }
        List<JsonObject> decisions = lines.stream().map(DecisionLogIT::json).toList();

        JsonObject login = decisions.get(0);
        assertEquals("login", login.getString("outcome"));
        assertEquals(307, login.getInt("status"));
        assertEquals("/reports", login.getString("path"));
        assertFalse(login.containsKey("user"));

        JsonObject allowed = byRequestId(decisions, "proxy-id-1");
        assertEquals("app.example.com", allowed.getString("app"));
        assertEquals("GET", allowed.getString("method"));
        assertEquals("app.example.com", allowed.getString("host"));
        assertEquals("/reports", allowed.getString("path"));
        assertEquals("alice", allowed.getString("user"));
        assertEquals(200, allowed.getInt("status"));
        assertEquals("allow", allowed.getString("outcome"));
        assertEquals("no rule matched; app requires login", allowed.getString("reason"));
        assertFalse(allowed.containsKey("rule"));

        JsonObject insufficient = byRequestId(decisions, "proxy-id-2");
        assertEquals("alice", insufficient.getString("user"));
        assertEquals("rules[1] /admin/**", insufficient.getString("rule"));
        assertEquals("insufficient", insufficient.getString("outcome"));
        assertTrue(insufficient.getString("reason").endsWith("missing scopes: admin:site"),
                insufficient.getString("reason"));

        JsonObject bearerDecision = decisions.get(3);
        assertEquals("svc", bearerDecision.getString("user"));
        assertEquals("allow", bearerDecision.getString("outcome"));
        assertTrue(bearerDecision.getString("request_id").length() < 40, "a token is never taken for an id");

        JsonObject refused = byRequestId(decisions, "proxy-id-4");
        assertEquals("unauthenticated", refused.getString("outcome"));
        assertEquals("access token signature is invalid", refused.getString("reason"));

        assertEquals("/say\"hello\",\"status\":200", byRequestId(decisions, "proxy-id-5").getString("path"));
        JsonObject badPath = byRequestId(decisions, "proxy-id-6");
        assertEquals("/public\\..\\admin", badPath.getString("path"));
        assertEquals("bad_request", badPath.getString("outcome"));
        assertEquals(400, badPath.getInt("status"));
    }

    @Test
    void atDeniedOnlyTheAnswersThatDidNotLetTheRequestPassAreWritten() throws Exception {
        forwardauth("\"decision-log\": \"denied\",");
        assertEquals(200, authorize(new TraefikClient(), "/public/a", "X-Request-Id", "passed").statusCode());
        assertEquals(401, authorize(new TraefikClient(), "/b", "Accept", "application/json",
                "X-Request-Id", "refused").statusCode());
        List<String> lines = decisionLines();
        assertEquals(List.of("refused"), lines.stream().map(line -> json(line).getString("request_id")).toList());
    }

    @Test
    void offWritesNothing() throws Exception {
        forwardauth("\"decision-log\": \"off\",");
        assertEquals(200, authorize(new TraefikClient(), "/public/a").statusCode());
        assertEquals(401, authorize(new TraefikClient(), "/b", "Accept", "application/json").statusCode());
        assertEquals(List.of(), decisionLines());
    }

    @Test
    void aPeerOutsideTrustedProxiesIsLoggedWithoutTheHeadersItSent() throws Exception {
        forwardauth("\"trusted-proxies\": [\"192.0.2.0/24\"],");
        assertEquals(403, authorize(new TraefikClient(), "/x", "X-Request-Id", "direct").statusCode());
        JsonObject decision = json(decisionLines().get(0));
        assertEquals("untrusted_peer", decision.getString("outcome"));
        assertEquals(403, decision.getInt("status"));
        for (String unknown : List.of("app", "method", "host", "path", "user", "rule")) {
            assertFalse(decision.containsKey(unknown), unknown);
        }
    }
}
