package dev.forwardauth.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forwardauth.config.ConfigLoader;
import dev.forwardauth.config.ForwardAuthConfig;
import dev.forwardauth.ops.Decision;
import dev.forwardauth.ops.DecisionOutcome;
import dev.forwardauth.security.IdentityProvider;
import dev.forwardauth.security.token.KeySetStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status page as HTML: what it shows, what it must never show, and that every value is escaped. */
class StatusPageTest {
    static final String CLIENT_SECRET = "client-secret-Zq8vX1";
    static final String DEFAULT_SECRET = "default-secret-Kp4wR7";
    static final String SESSION_SECRET = "session-secret-0123456789abcdefghij";
    static final Instant STARTED = Instant.parse("2026-11-26T08:00:00Z");
    static final Instant NOW = Instant.parse("2026-11-26T10:15:30Z");

    @TempDir
    Path dir;

    ForwardAuthConfig config() throws Exception {
        Path file = Files.writeString(dir.resolve("config.json"), """
                {
                  "domain": "https://idp.example.com/",
                  "session-secret": "%s",
                  "default": {
                    "client-id": "default-client",
                    "client-secret": "%s",
                    "audience": "https://api.example.com",
                    "redirect-uri": "https://auth.example.com/oauth2/signin"
                  },
                  "apps": [
                    {
                      "name": "app.example.com",
                      "client-id": "app-client",
                      "client-secret": "%s",
                      "rules": [
                        {"path": "/public/**", "allow": "anonymous"},
                        {"path": "/admin/**", "methods": ["POST"], "required-permissions": ["write:<admin>"]}
                      ]
                    },
                    {"name": "public.example.com", "client-id": "spa-client"}
                  ]
                }
                """.formatted(SESSION_SECRET, DEFAULT_SECRET, CLIENT_SECRET));
        return ConfigLoader.load(file, Map.of());
    }

    static Decision decision(String path, String user, int status, String reason) {
        DecisionOutcome outcome = switch (status) {
            case 200 -> DecisionOutcome.ALLOW;
            case 307 -> DecisionOutcome.LOGIN;
            case 403 -> DecisionOutcome.INSUFFICIENT;
            default -> DecisionOutcome.ERROR;
        };
        return new Decision(NOW.minusSeconds(5), "req-1", "app.example.com", "POST", "app.example.com", path, user,
                "rules[1] /admin/** POST", status, outcome, reason);
    }

    String render(List<Decision> decisions, IdentityProvider.Status idp) throws Exception {
        return StatusPage.render(new StatusPage.View("1.2.3", STARTED, NOW, "alice", config(), idp, decisions, 200));
    }

    static IdentityProvider.Status notDiscovered() {
        return new IdentityProvider.Status(null, null, null, null, KeySetStatus.NOT_FETCHED);
    }

    @Test
    void showsVersionUptimeViewerAppsRulesAndClientIds() throws Exception {
        String html = render(List.of(), notDiscovered());

        assertTrue(html.contains("Version <strong>1.2.3</strong>, up 2 h 15 min"), html);
        assertTrue(html.contains("for alice."), html);
        for (String shown : List.of("app.example.com", "public.example.com", "default (every other host)",
                "app-client", "spa-client", "default-client", "/public/**", "anonymous", "/admin/**",
                "https://idp.example.com/.well-known/openid-configuration", "admin:forwardauth")) {
            assertTrue(html.contains(Escaping.html(shown)), shown + " not in the page");
        }
    }

    @Test
    void everyTopLevelKeyIsShownWithItsDefaultFilledIn() throws Exception {
        String html = render(List.of(), notDiscovered());

        for (String key : List.of("domain", "idp-connect-timeout", "idp-read-timeout", "idp-max-concurrent-calls",
                "nonce-max-age", "session-max-age", "trusted-proxies", "session-secret", "status-permission",
                "metrics", "decision-log")) {
            assertTrue(html.contains("<th>" + key + "</th>"), key + " not in the settings");
        }
        assertTrue(html.contains("<th>decision-log</th><td>all</td>"), html);
    }

    @Test
    void secretsAreMaskedNeverShown() throws Exception {
        String html = render(List.of(), notDiscovered());

        for (String secret : List.of(CLIENT_SECRET, DEFAULT_SECRET, SESSION_SECRET)) {
            assertFalse(html.contains(secret), "secret in the page");
            // Not even a recognisable piece of it (each secret's distinctive tail).
            assertFalse(html.contains(secret.substring(secret.length() - 6)), "part of a secret in the page");
        }
        // session-secret, app.example.com's own secret, public.example.com's inherited one, default's.
        assertEquals(4, count(html, "set (hidden)"), html);
    }

    @Test
    void aPublicClientSaysItHasNoSecret() throws Exception {
        Path file = Files.writeString(dir.resolve("public.json"), """
                {"domain": "https://idp.example.com/", "session-secret": "%s",
                 "apps": [{"name": "spa.example.com", "client-id": "spa", "audience": "https://api.example.com",
                           "redirect-uri": "https://spa.example.com/oauth2/signin"}]}
                """.formatted(SESSION_SECRET));
        String html = StatusPage.render(new StatusPage.View("1", STARTED, NOW, "alice",
                ConfigLoader.load(file, Map.of()), notDiscovered(), List.of(), 200));

        assertTrue(html.contains("not set (public client)"), html);
    }

    @Test
    void everyValueIsEscaped() throws Exception {
        String path = "/<script>alert(1)</script>";
        IdentityProvider.Status idp = new IdentityProvider.Status(null, null,
                "identity provider unavailable: cannot fetch https://idp.example.com/<x>: Connection refused",
                NOW.minusSeconds(60), new KeySetStatus(List.of("kid-1", "<img src=x>"), NOW.minusSeconds(30),
                        null, null));

        String html = render(List.of(decision(path, "eve\"<b>", 403,
                "rule says <no>; missing permissions: write:<admin>")), idp);

        assertFalse(html.toLowerCase(Locale.ROOT).contains("<script"), html);
        assertFalse(html.contains("<img"), html);
        assertFalse(html.contains("<b>"), html);
        assertFalse(html.contains("<admin>"), html);
        assertFalse(html.contains("<no>"), html);
        assertFalse(html.contains("<x>"), html);
        assertTrue(html.contains("/&lt;script&gt;alert(1)&lt;/script&gt;"), html);
        assertTrue(html.contains("eve&quot;&lt;b&gt;"), html);
        assertTrue(html.contains("kid-1, &lt;img src=x&gt;"), html);
        assertTrue(html.contains("rule says &lt;no&gt;; missing permissions: write:&lt;admin&gt;"), html);
    }

    @Test
    void decisionsAreListedInTheOrderGivenWithRuleOutcomeAndReason() throws Exception {
        List<Decision> decisions = List.of(
                decision("/admin/second", "bob", 200, "rule rules[1] /admin/** POST requires login"),
                decision("/admin/first", null, 307, "no session; rule rules[1] /admin/** POST requires login"));

        String html = render(decisions, notDiscovered());

        assertTrue(html.indexOf("/admin/second") < html.indexOf("/admin/first"), html);
        assertTrue(html.contains("<td>rules[1] /admin/** POST</td>"), html);
        assertTrue(html.contains("<td>200 allowed</td>"), html);
        assertTrue(html.contains("<td>307 to login</td>"), html);
        assertTrue(html.contains("<td>rule rules[1] /admin/** POST requires login</td>"), html);
        assertTrue(html.contains("The last 2 of at most 200"), html);
        assertTrue(html.contains("2026-11-26 10:15:25.000"), html);
    }

    @Test
    void discoveryErrorAndKeyIdsAreShown() throws Exception {
        IdentityProvider.Status idp = new IdentityProvider.Status(null, null,
                "identity provider unavailable: cannot fetch it: Connection refused", NOW.minusSeconds(60),
                KeySetStatus.NOT_FETCHED);

        String html = render(List.of(), idp);

        assertTrue(html.contains("not discovered yet"), html);
        assertTrue(html.contains("last discovery error"), html);
        assertTrue(html.contains("Connection refused (at 2026-11-26 10:14:30 UTC)"), html);
        assertTrue(html.contains("not fetched yet"), html);
    }

    @Test
    void theContentSecurityPolicyAllowsExactlyThePagesOwnStyle() throws Exception {
        String html = render(List.of(), notDiscovered());
        String style = html.substring(html.indexOf("<style>") + 7, html.indexOf("</style>"));
        String hash = Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(style.getBytes(StandardCharsets.UTF_8)));

        assertTrue(StatusPage.CSP.contains("style-src 'sha256-" + hash + "'"), StatusPage.CSP);
        assertTrue(StatusPage.CSP.startsWith("default-src 'none';"), StatusPage.CSP);
        assertFalse(StatusPage.CSP.contains("unsafe"), StatusPage.CSP);
        assertFalse(html.contains("<script"), "no script on the page");
        assertEquals(1, count(html, "<style>"), "one style block only");
    }

    @Test
    void uptimeReadsLikeAPerson() {
        assertEquals("42 s", StatusPage.uptime(Duration.ofSeconds(42)));
        assertEquals("3 min 5 s", StatusPage.uptime(Duration.ofSeconds(185)));
        assertEquals("2 h 15 min", StatusPage.uptime(Duration.ofMinutes(135)));
        assertEquals("3 d 1 h 0 min", StatusPage.uptime(Duration.ofHours(73)));
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
