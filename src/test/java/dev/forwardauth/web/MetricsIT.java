package dev.forwardauth.web;

import static dev.forwardauth.web.Logins.AUDIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forwardauth.ops.PrometheusText;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * /metrics (docs/operations.md): real logins and bearer requests against mock-oauth2-server move the counters a
 * Prometheus scrape shows; the scrape parses as the Prometheus text format; only trusted-proxies addresses,
 * asking directly, get it.
 */
class MetricsIT {
    static final String APP = "https://app.example.com";

    MockOAuth2Server idp;
    EmbeddedForwardAuth forwardauth;
    final TraefikClient browser = new TraefikClient();

    @BeforeEach
    void start() {
        idp = new MockOAuth2Server();
        idp.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (forwardauth != null) {
            forwardauth.close();
        }
        idp.shutdown();
    }

    private EmbeddedForwardAuth forwardauth(String topLevelExtra) throws Exception {
        forwardauth = new EmbeddedForwardAuth("""
                {
                  "domain": "%s",
                  "session-secret": "%s",
                  %s
                  "default": {
                    "client-id": "%s",
                    "client-secret": "secret",
                    "audience": "%s",
                    "redirect-uri": "https://auth.example.com/oauth2/signin"
                  },
                  "apps": [{
                    "name": "app.example.com",
                    "redirect-uri": "https://app.example.com/oauth2/signin",
                    "rules": [
                      {"path": "/public/**", "allow": "anonymous"},
                      {"path": "/admin/**", "required-scopes": ["admin:site"]},
                      {"path": "/internal/**", "allow": "deny"}
                    ]
                  }]
                }
                """.formatted(idp.issuerUrl(Logins.ISSUER_ID), Logins.SESSION_SECRET, topLevelExtra, Logins.CLIENT_ID,
                AUDIENCE));
        return forwardauth;
    }

    private PrometheusText scrape() throws Exception {
        HttpResponse<String> metrics = new TraefikClient().get(forwardauth.uri("/metrics"));
        assertEquals(200, metrics.statusCode(), metrics.body());
        assertEquals("text/plain; version=0.0.4; charset=utf-8",
                metrics.headers().firstValue("Content-Type").orElseThrow().toLowerCase());
        assertEquals("no-store", metrics.headers().firstValue("Cache-Control").orElseThrow());
        return PrometheusText.parse(metrics.body());
    }

    private static double value(PrometheusText scrape, String series) {
        Double value = scrape.value(series);
        assertTrue(value != null, "no series " + series);
        return value;
    }

    private static String decisions(String app, String outcome) {
        return "forwardauth_decisions_total{app=\"" + app + "\",outcome=\"" + outcome + "\"}";
    }

    private int authorize(TraefikClient client, String url, String... headers) throws Exception {
        return client.authorize(forwardauth.uri("/authorize"), "GET", url, headers).statusCode();
    }

    @Test
    void aScrapeShowsWhatRealLoginsAndBearerRequestsDid() throws Exception {
        forwardauth("");
        Logins.login(browser, forwardauth, idp, APP + "/reports",
                Logins.user("alice", Map.of("scope", "openid profile")));
        assertEquals(200, authorize(browser, APP + "/reports"));
        assertEquals(403, authorize(browser, APP + "/admin/users"));
        assertEquals(403, authorize(browser, APP + "/internal/x"));
        assertEquals(200, authorize(new TraefikClient(), APP + "/public/logo.png"));
        assertEquals(401, authorize(new TraefikClient(), APP + "/reports", "Accept", "application/json"));
        assertEquals(307, authorize(new TraefikClient(), "https://other.example.com/", "Accept", "text/html"));
        String token = Logins.accessToken(idp, "svc", Map.of("scope", "admin:site"));
        assertEquals(200, authorize(new TraefikClient(), APP + "/admin/x", "Authorization", "Bearer " + token));
        assertEquals(200, authorize(new TraefikClient(), APP + "/admin/y", "Authorization", "Bearer " + token));
        String expired = Logins.accessToken(idp, "svc", List.of(AUDIENCE), Map.of(), -3600);
        assertEquals(401, authorize(new TraefikClient(), APP + "/x", "Authorization", "Bearer " + expired));
        assertEquals(400, new TraefikClient().authorizeWith(forwardauth.uri("/authorize"),
                "X-Forwarded-Method", "GET").statusCode());
        assertEquals(400, new TraefikClient().route(forwardauth.uri("/"),
                "https://app.example.com/oauth2/signin?code=c&state=nobody-started-this").statusCode());

        PrometheusText scrape = scrape();
        String app = "app.example.com";
        assertEquals(1, value(scrape, decisions(app, "login")));
        // The session's request, and the two bearer requests.
        assertEquals(3, value(scrape, decisions(app, "allow")));
        assertEquals(1, value(scrape, decisions(app, "anonymous")));
        assertEquals(1, value(scrape, decisions(app, "insufficient")));
        assertEquals(1, value(scrape, decisions(app, "deny_rule")));
        assertEquals(2, value(scrape, decisions(app, "unauthenticated")));
        // other.example.com has no app of its own: the default app's login.
        assertEquals(1, value(scrape, decisions("default", "login")));
        assertEquals(1, value(scrape, decisions("default", "bad_request")));
        assertEquals(11, value(scrape, "forwardauth_authorize_duration_seconds_count"));
        assertEquals(11, value(scrape, "forwardauth_authorize_duration_seconds_bucket{le=\"+Inf\"}"));

        assertEquals(1, value(scrape, "forwardauth_logins_started_total{app=\"" + app + "\"}"));
        assertEquals(1, value(scrape, "forwardauth_logins_started_total{app=\"default\"}"));
        assertEquals(1, value(scrape, "forwardauth_logins_completed_total{app=\"" + app + "\"}"));
        assertEquals(1, value(scrape, "forwardauth_logins_failed_total{app=\"default\",reason=\"state\"}"));

        // The login's access token and the first bearer request were verified; the second came from the cache.
        assertEquals(2, value(scrape, "forwardauth_token_validations_total{result=\"valid\"}"));
        assertEquals(1, value(scrape, "forwardauth_token_validations_total{result=\"cached\"}"));
        assertEquals(1, value(scrape, "forwardauth_token_validations_total{result=\"expired\"}"));

        assertEquals(1, value(scrape, "forwardauth_idp_request_duration_seconds_count{kind=\"token\",outcome=\"ok\"}"));
        assertTrue(value(scrape, "forwardauth_idp_request_duration_seconds_count{kind=\"discovery\",outcome=\"ok\"}") >= 1);
        assertTrue(value(scrape, "forwardauth_idp_request_duration_seconds_count{kind=\"jwks\",outcome=\"ok\"}") >= 1);
        assertTrue(value(scrape, "forwardauth_idp_request_duration_seconds_sum{kind=\"token\",outcome=\"ok\"}") > 0);
        assertTrue(value(scrape, "forwardauth_jwks_refreshes_total") >= 1);

        assertEquals(2, value(scrape, "forwardauth_cache_entries{cache=\"access_tokens\"}"));
        assertEquals(1, value(scrape, "forwardauth_cache_entries{cache=\"sessions\"}"));
        assertEquals(0, value(scrape, "forwardauth_decision_log_dropped_total"));
        assertTrue(scrape.samples().keySet().stream().anyMatch(s -> s.startsWith("jvm_memory_used_bytes{")));
    }

    @Test
    void aLoginTheUserDeclinesIsCountedAsFailedForItsApp() throws Exception {
        forwardauth("");
        String state = Responses.query(Responses.location(Logins.start(browser, forwardauth, APP + "/"))).get("state");
        HttpResponse<String> declined = browser.route(forwardauth.uri("/"),
                APP + "/oauth2/signin?error=access_denied&state=" + state);
        assertEquals(403, declined.statusCode(), declined.body());

        PrometheusText scrape = scrape();
        String app = "app.example.com";
        assertEquals(1, value(scrape, "forwardauth_logins_started_total{app=\"" + app + "\"}"));
        assertEquals(0, value(scrape, "forwardauth_logins_completed_total{app=\"" + app + "\"}"));
        assertEquals(1, value(scrape, "forwardauth_logins_failed_total{app=\"" + app + "\",reason=\"idp_error\"}"));
        assertEquals(0, value(scrape, "forwardauth_idp_request_duration_seconds_count{kind=\"token\",outcome=\"ok\"}"));
    }

    @Test
    void aPeerOutsideTrustedProxiesGets403() throws Exception {
        forwardauth("\"trusted-proxies\": [\"192.0.2.0/24\"],");
        HttpResponse<String> metrics = new TraefikClient().get(forwardauth.uri("/metrics"), "Accept", "application/json");
        assertEquals(403, metrics.statusCode(), metrics.body());
        assertTrue(metrics.body().contains("trusted-proxies"), metrics.body());
        assertTrue(!metrics.body().contains("forwardauth_"), metrics.body());
    }

    @Test
    void aRequestRelayedByAProxyGets403EvenFromATrustedAddress() throws Exception {
        forwardauth("");
        for (String header : List.of("X-Forwarded-For", "X-Forwarded-Host", "Forwarded", "X-Real-Ip")) {
            HttpResponse<String> metrics = new TraefikClient().get(forwardauth.uri("/metrics"), header, "203.0.113.7",
                    "Accept", "application/json");
            assertEquals(403, metrics.statusCode(), header);
            assertTrue(metrics.body().contains(header), metrics.body());
        }
    }

    @Test
    void metricsAreServedOnlyAtSlashMetrics() throws Exception {
        forwardauth("");
        assertEquals(404, new TraefikClient().get(forwardauth.uri("/oauth2/metrics")).statusCode());
        assertEquals(200, new TraefikClient().get(forwardauth.uri("/metrics")).statusCode());
    }

    @Test
    void switchedOffThereIsNoMetricsEndpoint() throws Exception {
        forwardauth("\"metrics\": false,");
        assertEquals(404, new TraefikClient().get(forwardauth.uri("/metrics")).statusCode());
        assertEquals(307, authorize(new TraefikClient(), APP + "/", "Accept", "text/html"));
    }
}
