package dev.forwardauth.security.token;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSetUnavailableException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.OutageTolerantJWKSetSource;
import com.nimbusds.jose.jwk.source.RefreshAheadCachingJWKSetSource;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.io.Closeable;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The IdP's signing keys, cached. Nimbus does the fetching, caching, refresh-ahead and outage tolerance; this
 * class adds the one rule Nimbus's own rate limiter does not give (it allows two fetches per interval, whatever
 * caused them): a token with an unknown {@code kid} causes at most one refetch per {@code refetchInterval},
 * however many such tokens arrive, so nobody can turn forged tokens into a stream of requests to the IdP.
 */
public final class JwksKeySource implements JWKSource<SecurityContext>, Closeable {
    public static final Duration DEFAULT_REFETCH_INTERVAL = Duration.ofSeconds(30);
    static final Duration CACHE_TTL = Duration.ofMinutes(5);
    static final Duration REFRESH_AHEAD = Duration.ofSeconds(30);
    // Keys already fetched keep validating tokens while the IdP is down, for this long; then we fail closed (503).
    static final Duration OUTAGE_TOLERANCE = Duration.ofHours(12);

    private final JWKSetSource<SecurityContext> source;
    private final URI jwksUri;
    private final long refetchIntervalMillis;
    private final Clock clock;
    private final AtomicLong lastRefetch = new AtomicLong(Long.MIN_VALUE);
    private final KeyFetchRecorder fetches;
    private final Telemetry telemetry;

    JwksKeySource(JWKSetSource<SecurityContext> source, URI jwksUri, Duration refetchInterval, Clock clock) {
        this(source, jwksUri, refetchInterval, clock, null, Telemetry.NONE);
    }

    private JwksKeySource(JWKSetSource<SecurityContext> source, URI jwksUri, Duration refetchInterval, Clock clock,
                          KeyFetchRecorder fetches, Telemetry telemetry) {
        this.fetches = fetches;
        this.telemetry = Objects.requireNonNull(telemetry);
        this.source = Objects.requireNonNull(source);
        this.jwksUri = Objects.requireNonNull(jwksUri);
        this.refetchIntervalMillis = refetchInterval.toMillis();
        this.clock = Objects.requireNonNull(clock);
        if (refetchIntervalMillis < 1) {
            throw new IllegalArgumentException("refetch interval must be positive");
        }
    }

    public static JwksKeySource remote(URI jwksUri, HttpTimeouts timeouts, Duration refetchInterval, Clock clock,
                                       Telemetry telemetry) {
        KeyFetchRecorder fetch = new KeyFetchRecorder(new TimedFetch(
                new URLBasedJWKSetSource<>(toUrl(jwksUri), timeouts.retriever()), telemetry), clock);
        JWKSetSource<SecurityContext> tolerant =
                new OutageTolerantJWKSetSource<>(fetch, OUTAGE_TOLERANCE.toMillis(), null);
        // A request that finds the cache expired waits for the refresh: bound that wait by the HTTP timeouts.
        // Refresh-ahead is triggered by requests near expiry (false = no timer thread of its own).
        long refreshWait = timeouts.connect().plus(timeouts.read()).plusSeconds(1).toMillis();
        JWKSetSource<SecurityContext> cached = new RefreshAheadCachingJWKSetSource<>(tolerant, CACHE_TTL.toMillis(),
                refreshWait, REFRESH_AHEAD.toMillis(), false, refreshExecutor(), true, null);
        return new JwksKeySource(cached, jwksUri, refetchInterval, clock, fetch, telemetry);
    }

    public static JwksKeySource remote(URI jwksUri, HttpTimeouts timeouts, Duration refetchInterval, Clock clock) {
        return remote(jwksUri, timeouts, refetchInterval, clock, Telemetry.NONE);
    }

    public static JwksKeySource remote(URI jwksUri, HttpTimeouts timeouts, Telemetry telemetry) {
        return remote(jwksUri, timeouts, DEFAULT_REFETCH_INTERVAL, Clock.systemUTC(), telemetry);
    }

    public static JwksKeySource remote(URI jwksUri, HttpTimeouts timeouts) {
        return remote(jwksUri, timeouts, Telemetry.NONE);
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        long now = clock.millis();
        JWKSet cached = load(JWKSetCacheRefreshEvaluator.noRefresh(), now, context);
        List<JWK> keys = selector.select(cached);
        if (!keys.isEmpty() || !mayRefetch(now)) {
            return keys;
        }
        // Unknown kid, first time in this interval: the IdP may have rotated its keys. referenceComparison lets
        // the cache skip the fetch when a background refresh already replaced the set we looked at.
        telemetry.jwksUnknownKeyRefetch();
        return selector.select(load(JWKSetCacheRefreshEvaluator.referenceComparison(cached), now, context));
    }

    /** The key ids of the last fetch and its time, without fetching (for the status page). */
    public KeySetStatus status() {
        return fetches == null ? KeySetStatus.NOT_FETCHED : fetches.status();
    }

    private boolean mayRefetch(long now) {
        long last = lastRefetch.get();
        // A clock stepped backwards must not lock refetches out until it catches up again.
        boolean due = last == Long.MIN_VALUE || now < last || now - last >= refetchIntervalMillis;
        return due && lastRefetch.compareAndSet(last, now);
    }

    private JWKSet load(JWKSetCacheRefreshEvaluator evaluator, long now, SecurityContext context)
            throws KeySourceException {
        try {
            return source.getJWKSet(evaluator, now, context);
        } catch (KeySourceException e) {
            throw new JWKSetUnavailableException("identity provider unavailable: cannot fetch signing keys from "
                    + jwksUri + ": " + IdpMetadataLoader.describe(rootCause(e)), e);
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    @Override
    public void close() throws IOException {
        source.close();
    }

    // One daemon thread: refresh-ahead runs in the background so no request waits on the IdP while keys are
    // cached; daemon so a forgotten close() cannot keep a JVM alive; closed with this source.
    private static ExecutorService refreshExecutor() {
        return Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "forwardauth-jwks-refresh");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The fetch itself, timed for the metrics: every call here is one request to the IdP's jwks_uri. */
    private static final class TimedFetch implements JWKSetSource<SecurityContext> {
        private final JWKSetSource<SecurityContext> fetch;
        private final Telemetry telemetry;

        TimedFetch(JWKSetSource<SecurityContext> fetch, Telemetry telemetry) {
            this.fetch = fetch;
            this.telemetry = telemetry;
        }

        @Override
        public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator evaluator, long currentTime, SecurityContext context)
                throws KeySourceException {
            long start = System.nanoTime();
            boolean failed = true;
            try {
                JWKSet keys = fetch.getJWKSet(evaluator, currentTime, context);
                failed = false;
                return keys;
            } finally {
                telemetry.idpCall(IdpCall.JWKS, System.nanoTime() - start, failed);
                if (!failed) {
                    telemetry.jwksRefreshed();
                }
            }
        }

        @Override
        public void close() throws IOException {
            fetch.close();
        }
    }

    private static java.net.URL toUrl(URI uri) {
        try {
            return uri.toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("jwks_uri is not a URL: " + uri, e);
        }
    }
}
