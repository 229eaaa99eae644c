package dev.forwardauth.ops;

import dev.forwardauth.config.AppConfig;
import dev.forwardauth.config.ForwardAuthConfig;
import dev.forwardauth.security.ForwardAuthSecurity;
import dev.forwardauth.security.token.IdpCall;
import dev.forwardauth.security.token.Telemetry;
import dev.forwardauth.security.token.TokenCheck;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.ToIntFunction;

/**
 * forwardauth's metrics (docs/operations.md lists them), kept in a Micrometer registry and served as Prometheus
 * text by /metrics. Labels are bounded: app labels are the configured app names ({@code default} for the
 * default app and for requests no app took), everything else is a fixed enum. Every meter a request can touch
 * is created up front, per app and label value, and found by array index or identity lookup, so recording
 * costs a few atomic adds and no allocation.
 */
public final class ForwardAuthMetrics implements Telemetry, AutoCloseable {
    /** The text format Prometheus scrapes. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** The app label of the default app, and of decisions no app took. */
    public static final String DEFAULT_APP = "default";

    // Upper bounds of the /authorize latency histogram: answers from memory take well under a millisecond,
    // answers that wait for the identity provider up to its timeouts (5 s + 5 s).
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(1).dividedBy(4), Duration.ofMillis(1).dividedBy(2), Duration.ofMillis(1),
        Duration.ofMillis(5).dividedBy(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus;
    private final Timer authorizeDuration;
    private final Map<String, AppMeters> byLabel = new ConcurrentHashMap<>();
    private final AppMeters noApp;
    private volatile Map<AppConfig, AppMeters> byApp = Map.of();
    private final Timer[] idpOk = new Timer[IdpCall.values().length];
    private final Timer[] idpFailed = new Timer[IdpCall.values().length];
    private final Counter[] tokenValidations = new Counter[TokenCheck.values().length];
    private final Counter jwksRefreshes;
    private final Counter jwksUnknownKeyRefetches;
    private final Counter decisionLogDropped;
    private final JvmGcMetrics gc;
    private volatile ForwardAuthSecurity caches;
    private volatile IntSupplier decisionLogQueue = () -> 0;

    /** Served at /metrics in the Prometheus text format. */
    public static ForwardAuthMetrics prometheus() {
        return new ForwardAuthMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /** {@code metrics: false}: the same calls, recorded nowhere (a registry without children keeps nothing). */
    public static ForwardAuthMetrics disabled() {
        return new ForwardAuthMetrics(new CompositeMeterRegistry());
    }

    private ForwardAuthMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.prometheus = registry instanceof PrometheusMeterRegistry p ? p : null;
        this.authorizeDuration = Timer.builder("forwardauth.authorize.duration")
                .description("Time to answer /authorize and /auth-request, from the request to the decision written")
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
        this.noApp = meters(DEFAULT_APP);
        for (IdpCall call : IdpCall.values()) {
            idpOk[call.ordinal()] = idpTimer(call, "ok");
            idpFailed[call.ordinal()] = idpTimer(call, "error");
        }
        for (TokenCheck check : TokenCheck.values()) {
            tokenValidations[check.ordinal()] = Counter.builder("forwardauth.token.validations")
                    .description("Access-token validations (bearer tokens, logins) by result")
                    .tag("result", check.label()).register(registry);
        }
        this.jwksRefreshes = Counter.builder("forwardauth.jwks.refreshes")
                .description("Times the access-token signing keys were fetched from the identity provider")
                .register(registry);
        this.jwksUnknownKeyRefetches = Counter.builder("forwardauth.jwks.unknown.key.refetches")
                .description("Times a token with an unknown key id made forwardauth fetch the keys again")
                .register(registry);
        this.decisionLogDropped = Counter.builder("forwardauth.decision.log.dropped")
                .description("Decisions not logged because the decision log's queue was full")
                .register(registry);
        Gauge.builder("forwardauth.decision.log.queued", this, m -> m.decisionLogQueue.getAsInt())
                .description("Decisions waiting to be written to the decision log").register(registry);
        cacheGauge("access_tokens", ForwardAuthSecurity::cachedAccessTokens);
        cacheGauge("session_tokens", ForwardAuthSecurity::cachedSessionTokens);
        cacheGauge("sessions", ForwardAuthSecurity::cachedSessions);
        if (prometheus != null) {
            new JvmMemoryMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            // Listens to GC notifications until closed (contextDestroyed), so it is not bound when off.
            this.gc = new JvmGcMetrics();
            gc.bindTo(registry);
        } else {
            this.gc = null;
        }
    }

    /** The app label of {@code app}: its name, or {@link #DEFAULT_APP} for the default app. */
    public static String appLabel(ForwardAuthConfig config, AppConfig app) {
        return app == config.defaultApp().orElse(null) || app.name() == null ? DEFAULT_APP : app.name();
    }

    /** Creates the per-app meters of every app of {@code config}, and uses them from now on. */
    public void register(ForwardAuthConfig config) {
        Map<AppConfig, AppMeters> apps = new IdentityHashMap<>();
        config.defaultApp().ifPresent(app -> apps.put(app, meters(DEFAULT_APP)));
        for (AppConfig app : config.apps()) {
            apps.put(app, meters(app.name()));
        }
        byApp = apps;
    }

    /** The cache sizes shown are those of {@code security}. */
    public void watch(ForwardAuthSecurity security) {
        this.caches = security;
    }

    /** The queue length shown is {@code writer}'s. */
    public void watch(DecisionLogWriter writer) {
        this.decisionLogQueue = writer::queued;
    }

    public boolean enabled() {
        return prometheus != null;
    }

    /** Writes every metric in the Prometheus text format ({@link #CONTENT_TYPE}). */
    public void scrape(OutputStream out) throws IOException {
        if (prometheus == null) {
            throw new IllegalStateException("metrics are off");
        }
        prometheus.scrape(out, CONTENT_TYPE);
    }

    // --- /authorize ---

    /** One decision for {@code app} (null: none took the request), answered in {@code nanos}. */
    public void decision(AppConfig app, DecisionOutcome outcome, long nanos) {
        meters(app).decisions[outcome.ordinal()].increment();
        authorizeDuration.record(nanos, TimeUnit.NANOSECONDS);
    }

    // --- logins ---

    public void loginStarted(AppConfig app) {
        meters(app).loginsStarted.increment();
    }

    public void loginCompleted(AppConfig app) {
        meters(app).loginsCompleted.increment();
    }

    public void loginFailed(AppConfig app, LoginFailure reason) {
        meters(app).loginsFailed[reason.ordinal()].increment();
    }

    /** Counts one decision the decision log had to drop. */
    public void decisionLogDropped() {
        decisionLogDropped.increment();
    }

    // --- Telemetry, from the security layer ---

    @Override
    public void idpCall(IdpCall call, long nanos, boolean failed) {
        (failed ? idpFailed : idpOk)[call.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void tokenValidation(TokenCheck result) {
        tokenValidations[result.ordinal()].increment();
    }

    @Override
    public void jwksRefreshed() {
        jwksRefreshes.increment();
    }

    @Override
    public void jwksUnknownKeyRefetch() {
        jwksUnknownKeyRefetches.increment();
    }

    @Override
    public void close() {
        if (gc != null) {
            gc.close();
        }
        registry.close();
    }

    private AppMeters meters(AppConfig app) {
        if (app == null) {
            return noApp;
        }
        AppMeters meters = byApp.get(app);
        // Not registered (a request still on a replaced configuration): by name, made once.
        return meters != null ? meters : meters(app.name() == null ? DEFAULT_APP : app.name());
    }

    private AppMeters meters(String label) {
        return byLabel.computeIfAbsent(label, name -> new AppMeters(registry, name));
    }

    private Timer idpTimer(IdpCall call, String outcome) {
        return Timer.builder("forwardauth.idp.request.duration")
                .description("HTTP calls to the identity provider by kind and outcome")
                .tag("kind", call.label()).tag("outcome", outcome).register(registry);
    }

    private void cacheGauge(String cache, ToIntFunction<ForwardAuthSecurity> size) {
        Gauge.builder("forwardauth.cache.entries", this, m -> {
            ForwardAuthSecurity security = m.caches;
            return security == null ? 0 : size.applyAsInt(security);
        }).description("Entries in forwardauth's in-memory caches (each bounded), by cache")
                .tag("cache", cache).register(registry);
    }

    /** The meters of one app label, created together so every series exists from the start (at 0). */
    private static final class AppMeters {
        final Counter[] decisions = new Counter[DecisionOutcome.values().length];
        final Counter loginsStarted;
        final Counter loginsCompleted;
        final Counter[] loginsFailed = new Counter[LoginFailure.values().length];

        AppMeters(MeterRegistry registry, String app) {
            for (DecisionOutcome outcome : DecisionOutcome.values()) {
                decisions[outcome.ordinal()] = Counter.builder("forwardauth.decisions")
                        .description("/authorize and /auth-request decisions by app and outcome")
                        .tag("app", app).tag("outcome", outcome.label()).register(registry);
            }
            loginsStarted = Counter.builder("forwardauth.logins.started")
                    .description("Logins started: browsers sent to the identity provider")
                    .tag("app", app).register(registry);
            loginsCompleted = Counter.builder("forwardauth.logins.completed")
                    .description("Logins that ended with a session").tag("app", app).register(registry);
            for (LoginFailure reason : LoginFailure.values()) {
                loginsFailed[reason.ordinal()] = Counter.builder("forwardauth.logins.failed")
                        .description("Login callbacks that ended without a session, by reason")
                        .tag("app", app).tag("reason", reason.label()).register(registry);
            }
        }
    }
}
