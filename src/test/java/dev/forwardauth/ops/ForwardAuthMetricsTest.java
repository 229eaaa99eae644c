package dev.forwardauth.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forwardauth.config.AppConfig;
import dev.forwardauth.config.ConfigLoader;
import dev.forwardauth.config.ForwardAuthConfig;
import dev.forwardauth.security.token.IdpCall;
import dev.forwardauth.security.token.TokenCheck;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ForwardAuthMetricsTest {
    private static final ForwardAuthConfig CONFIG = config("""
            {
              "domain": "https://idp.example.com/",
              "session-secret": "0123456789abcdef0123456789abcdef",
              "default": {"client-id": "c", "audience": "https://api", "redirect-uri": "https://auth.example.com/signin"},
              "apps": [{"name": "app.example.com"}, {"name": "*.apps.example.com"}]
            }
            """);

    private final ForwardAuthMetrics metrics = ForwardAuthMetrics.prometheus();

    static ForwardAuthConfig config(String json) {
        try {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("forwardauth-metrics", ".json");
            try {
                java.nio.file.Files.writeString(file, json);
                return ConfigLoader.load(file, Map.of());
            } finally {
                java.nio.file.Files.delete(file);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void close() {
        metrics.close();
    }

    private PrometheusText scrape() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.scrape(out);
        return PrometheusText.parse(out.toString(StandardCharsets.UTF_8));
    }

    private static AppConfig app(String name) {
        return CONFIG.apps().stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void everyAppAndOutcomeIsThereFromTheStartAtZero() throws Exception {
        metrics.register(CONFIG);
        PrometheusText scrape = scrape();
        assertEquals("counter", scrape.type("forwardauth_decisions_total"));
        for (String app : List.of("default", "app.example.com", "*.apps.example.com")) {
            for (DecisionOutcome outcome : DecisionOutcome.values()) {
                assertEquals(0.0, scrape.value("forwardauth_decisions_total{app=\"" + app + "\",outcome=\""
                        + outcome.label() + "\"}"), app + " " + outcome);
            }
            assertEquals(0.0, scrape.value("forwardauth_logins_started_total{app=\"" + app + "\"}"));
            assertEquals(0.0, scrape.value("forwardauth_logins_completed_total{app=\"" + app + "\"}"));
            for (LoginFailure reason : LoginFailure.values()) {
                assertEquals(0.0, scrape.value("forwardauth_logins_failed_total{app=\"" + app + "\",reason=\""
                        + reason.label() + "\"}"));
            }
        }
    }

    @Test
    void decisionsCountByAppAndOutcomeAndTheirLatencyFallsIntoBuckets() throws Exception {
        metrics.register(CONFIG);
        metrics.decision(app("app.example.com"), DecisionOutcome.ALLOW, TimeUnit.MICROSECONDS.toNanos(300));
        metrics.decision(app("app.example.com"), DecisionOutcome.ALLOW, TimeUnit.MILLISECONDS.toNanos(3));
        metrics.decision(CONFIG.defaultApp().orElseThrow(), DecisionOutcome.LOGIN, TimeUnit.MILLISECONDS.toNanos(20));
        metrics.decision(null, DecisionOutcome.UNTRUSTED_PEER, 1000);

        PrometheusText scrape = scrape();
        assertEquals(2.0, scrape.value("forwardauth_decisions_total{app=\"app.example.com\",outcome=\"allow\"}"));
        assertEquals(1.0, scrape.value("forwardauth_decisions_total{app=\"default\",outcome=\"login\"}"));
        assertEquals(1.0, scrape.value("forwardauth_decisions_total{app=\"default\",outcome=\"untrusted_peer\"}"));
        assertEquals("histogram", scrape.type("forwardauth_authorize_duration_seconds"));
        assertEquals(4.0, scrape.value("forwardauth_authorize_duration_seconds_count"));
        assertEquals(2.0, scrape.value("forwardauth_authorize_duration_seconds_bucket{le=\"5.0E-4\"}"));
        assertEquals(3.0, scrape.value("forwardauth_authorize_duration_seconds_bucket{le=\"0.005\"}"));
        assertEquals(4.0, scrape.value("forwardauth_authorize_duration_seconds_bucket{le=\"0.025\"}"));
        assertEquals(4.0, scrape.value("forwardauth_authorize_duration_seconds_bucket{le=\"+Inf\"}"));
    }

    @Test
    void appLabelsComeFromTheConfigurationOnly() throws Exception {
        metrics.register(CONFIG);
        metrics.decision(app("app.example.com"), DecisionOutcome.ALLOW, 1);
        metrics.decision(null, DecisionOutcome.NO_APP, 1);
        List<String> apps = scrape().samples().keySet().stream()
                .filter(series -> series.startsWith("forwardauth_decisions_total{"))
                .map(series -> series.replaceAll(".*app=\"([^\"]*)\".*", "$1")).distinct().sorted().toList();
        assertEquals(List.of("*.apps.example.com", "app.example.com", "default"), apps);
        assertEquals("default", ForwardAuthMetrics.appLabel(CONFIG, CONFIG.defaultApp().orElseThrow()));
        assertEquals("app.example.com", ForwardAuthMetrics.appLabel(CONFIG, app("app.example.com")));
    }

    @Test
    void loginsCountByStage() throws Exception {
        metrics.register(CONFIG);
        AppConfig app = app("app.example.com");
        metrics.loginStarted(app);
        metrics.loginStarted(app);
        metrics.loginCompleted(app);
        metrics.loginFailed(app, LoginFailure.EXPIRED);
        metrics.loginFailed(null, LoginFailure.STATE);
        PrometheusText scrape = scrape();
        assertEquals(2.0, scrape.value("forwardauth_logins_started_total{app=\"app.example.com\"}"));
        assertEquals(1.0, scrape.value("forwardauth_logins_completed_total{app=\"app.example.com\"}"));
        assertEquals(1.0, scrape.value("forwardauth_logins_failed_total{app=\"app.example.com\",reason=\"expired\"}"));
        assertEquals(1.0, scrape.value("forwardauth_logins_failed_total{app=\"default\",reason=\"state\"}"));
    }

    @Test
    void identityProviderCallsAreTimedByKindAndOutcome() throws Exception {
        metrics.idpCall(IdpCall.DISCOVERY, TimeUnit.MILLISECONDS.toNanos(40), false);
        metrics.idpCall(IdpCall.TOKEN, TimeUnit.MILLISECONDS.toNanos(100), true);
        metrics.idpCall(IdpCall.TOKEN, TimeUnit.MILLISECONDS.toNanos(50), false);
        PrometheusText scrape = scrape();
        assertEquals(1.0, scrape.value("forwardauth_idp_request_duration_seconds_count{kind=\"discovery\",outcome=\"ok\"}"));
        assertEquals(0.04, scrape.value("forwardauth_idp_request_duration_seconds_sum{kind=\"discovery\",outcome=\"ok\"}"), 1e-9);
        assertEquals(1.0, scrape.value("forwardauth_idp_request_duration_seconds_count{kind=\"token\",outcome=\"error\"}"));
        assertEquals(1.0, scrape.value("forwardauth_idp_request_duration_seconds_count{kind=\"token\",outcome=\"ok\"}"));
        for (IdpCall call : IdpCall.values()) {
            assertTrue(scrape.value("forwardauth_idp_request_duration_seconds_count{kind=\"" + call.label()
                    + "\",outcome=\"error\"}") != null, call.label());
        }
    }

    @Test
    void tokenValidationsJwksRefreshesAndDropsAreCounted() throws Exception {
        metrics.tokenValidation(TokenCheck.VALID);
        metrics.tokenValidation(TokenCheck.CACHED);
        metrics.tokenValidation(TokenCheck.CACHED);
        metrics.tokenValidation(TokenCheck.EXPIRED);
        metrics.jwksRefreshed();
        metrics.jwksUnknownKeyRefetch();
        metrics.decisionLogDropped();
        PrometheusText scrape = scrape();
        assertEquals(1.0, scrape.value("forwardauth_token_validations_total{result=\"valid\"}"));
        assertEquals(2.0, scrape.value("forwardauth_token_validations_total{result=\"cached\"}"));
        assertEquals(1.0, scrape.value("forwardauth_token_validations_total{result=\"expired\"}"));
        assertEquals(0.0, scrape.value("forwardauth_token_validations_total{result=\"signature\"}"));
        assertEquals(1.0, scrape.value("forwardauth_jwks_refreshes_total"));
        assertEquals(1.0, scrape.value("forwardauth_jwks_unknown_key_refetches_total"));
        assertEquals(1.0, scrape.value("forwardauth_decision_log_dropped_total"));
    }

    @Test
    void cacheSizesAreZeroUntilASecurityIsWatched() throws Exception {
        PrometheusText scrape = scrape();
        assertEquals("gauge", scrape.type("forwardauth_cache_entries"));
        for (String cache : List.of("access_tokens", "session_tokens", "sessions")) {
            assertEquals(0.0, scrape.value("forwardauth_cache_entries{cache=\"" + cache + "\"}"), cache);
        }
        assertEquals(0.0, scrape.value("forwardauth_decision_log_queued"));
    }

    @Test
    void everyForwardauthFamilyIsDocumentedByName() throws Exception {
        metrics.register(CONFIG);
        String docs = java.nio.file.Files.readString(java.nio.file.Path.of("docs/operations.md"));
        Map<String, Double> samples = scrape().samples();
        List<String> undocumented = samples.keySet().stream().map(series -> series.replaceAll("\\{.*", ""))
                .filter(name -> name.startsWith("forwardauth_"))
                .map(name -> name.replaceAll("_(bucket|count|sum|max)$", ""))
                .distinct().filter(name -> !docs.contains("`" + name)).toList();
        assertEquals(List.of(), undocumented, "metrics missing from docs/operations.md");
    }

    @Test
    void switchedOffItRecordsNothingAndHasNothingToServe() {
        ForwardAuthMetrics off = ForwardAuthMetrics.disabled();
        off.register(CONFIG);
        off.decision(app("app.example.com"), DecisionOutcome.ALLOW, 1);
        off.tokenValidation(TokenCheck.VALID);
        assertFalse(off.enabled());
        assertThrows(IllegalStateException.class, () -> off.scrape(new ByteArrayOutputStream()));
        off.close();
    }
}
