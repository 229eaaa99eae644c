package dev.forwardauth.security.token;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetUnavailableException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.Closeable;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The IdP's signing keys, cached so that validating a token almost never waits for the IdP:
 * <ul>
 * <li>keys older than {@link #CACHE_TTL} are refreshed in the background while requests go on using them;
 * a failed fetch is tried again only after {@link #RETRY_AFTER_FAILURE} (meanwhile requests without keys get
 * 503 at once), and keys keep validating tokens while the IdP is down, for {@link #OUTAGE_TOLERANCE} after
 * the last good fetch; then we fail closed (503);</li>
 * <li>only with no usable keys at all, or for a token with an unknown {@code kid} (the IdP may have rotated
 * its keys), does a request wait for a fetch: one fetch however many wait ({@link SingleFlight}), inside the
 * {@link IdpCalls} bulkhead, and an unknown kid causes at most one refetch per {@code refetchInterval}, so
 * nobody can turn forged tokens into a stream of requests to the IdP.</li>
 * </ul>
 * Nimbus's own caching sources make a request wait for the refresh once the cache has expired, which is the
 * wait a hanging IdP must never cause; that is why the cache is ours and Nimbus only fetches and parses.
 */
public final class JwksKeySource implements JWKSource<SecurityContext>, Closeable {
    public static final Duration DEFAULT_REFETCH_INTERVAL = Duration.ofSeconds(30);
    static final Duration CACHE_TTL = Duration.ofMinutes(5);
    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(5);
    static final Duration OUTAGE_TOLERANCE = Duration.ofHours(12);

    private record Cached(JWKSet keys, long fetchedAt) {
    }

    private final URI jwksUri;
    private final URL url;
    private final IdpCalls calls;
    private final ResourceRetriever retriever;
    private final long refetchIntervalMillis;
    private final Clock clock;
    private final SingleFlight<Cached> fetches;
    private final AtomicLong lastRefetch = new AtomicLong(Long.MIN_VALUE);
    private volatile Cached cached;
    private volatile long noRefreshBefore = Long.MIN_VALUE;
    private volatile IdpUnavailableException lastFailure;
    private volatile KeySetStatus status = KeySetStatus.NOT_FETCHED;
    private final Telemetry telemetry;

    private JwksKeySource(URI jwksUri, IdpCalls calls, Duration refetchInterval, Clock clock, Telemetry telemetry) {
        this.telemetry = Objects.requireNonNull(telemetry);
        this.jwksUri = Objects.requireNonNull(jwksUri);
        this.url = toUrl(jwksUri);
        this.calls = Objects.requireNonNull(calls);
        this.retriever = calls.timeouts().retriever();
        this.refetchIntervalMillis = refetchInterval.toMillis();
        this.clock = Objects.requireNonNull(clock);
        this.fetches = calls.singleFlight();
        if (refetchIntervalMillis < 1) {
            throw new IllegalArgumentException("refetch interval must be positive");
        }
    }

    public static JwksKeySource remote(URI jwksUri, IdpCalls calls, Duration refetchInterval, Clock clock,
                                       Telemetry telemetry) {
        return new JwksKeySource(jwksUri, calls, refetchInterval, clock, telemetry);
    }

    public static JwksKeySource remote(URI jwksUri, IdpCalls calls, Duration refetchInterval, Clock clock) {
        return remote(jwksUri, calls, refetchInterval, clock, Telemetry.NONE);
    }

    public static JwksKeySource remote(URI jwksUri, IdpCalls calls, Telemetry telemetry) {
        return remote(jwksUri, calls, DEFAULT_REFETCH_INTERVAL, Clock.systemUTC(), telemetry);
    }

    public static JwksKeySource remote(URI jwksUri, IdpCalls calls) {
        return remote(jwksUri, calls, Telemetry.NONE);
    }

    /** The key ids of the last fetch and its time, without fetching (for the status page). */
    public KeySetStatus status() {
        return status;
    }

    /**
     * Whether a fetch is under way. After the IdP has answered, a fetch still runs for a moment (parsing, or
     * recording a failure and the pause before a retry), and a request meanwhile joins it: tests that count
     * fetches wait for this to turn false.
     */
    boolean fetching() {
        return fetches.inFlight();
    }

    /** Starts a fetch in the background (at start-up), so the first token does not wait for it. */
    public void prefetch() {
        if (cached == null) {
            fetches.join(this::fetch);
        }
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        long now = clock.millis();
        Cached current = usable(now);
        List<JWK> keys = selector.select(current.keys());
        if (!keys.isEmpty() || !refetchDue(now)) {
            return keys;
        }
        // Unknown kid: the IdP may have rotated its keys. A background refresh may already have replaced them.
        Cached latest = cached;
        if (latest != current) {
            keys = selector.select(latest.keys());
            if (!keys.isEmpty()) {
                return keys;
            }
        }
        try (IdpCalls.Permit permit = calls.enter()) {
            if (!mayRefetch(now)) {
                return keys;
            }
            telemetry.jwksUnknownKeyRefetch();
            return selector.select(calls.await(fetches.join(this::fetch).result(), jwksUri.toString()).keys());
        } catch (IdpUnavailableException e) {
            // We hold the IdP's keys and this token matches none of them: unknown key (401), not a 503.
            return keys;
        }
    }

    private Cached usable(long now) throws KeySourceException {
        Cached current = cached;
        if (current != null) {
            long age = now - current.fetchedAt();
            if (age < OUTAGE_TOLERANCE.toMillis()) {
                // A clock stepped backwards gives a negative age: fresh, not stale.
                if (age >= CACHE_TTL.toMillis() && now >= noRefreshBefore) {
                    fetches.join(this::fetch); // background; this request goes on with the keys it has
                }
                return current;
            }
        }
        // No keys, or too old to trust: this request has to wait for the IdP (fail closed if it cannot).
        IdpUnavailableException failed = lastFailure;
        if (failed != null && now < noRefreshBefore) {
            throw new JWKSetUnavailableException(failed.getMessage(), failed);
        }
        try (IdpCalls.Permit permit = calls.enter()) {
            return calls.await(fetches.join(this::fetch).result(), jwksUri.toString());
        } catch (IdpUnavailableException e) {
            if (cached == null && fetches.inFlight()) {
                // Gave up on a fetch that still runs: the next requests answer at once instead of waiting too.
                lastFailure = e;
                noRefreshBefore = clock.millis() + RETRY_AFTER_FAILURE.toMillis();
            }
            throw new JWKSetUnavailableException(e.getMessage(), e);
        }
    }

    private boolean refetchDue(long now) {
        long last = lastRefetch.get();
        // A clock stepped backwards must not lock refetches out until it catches up again.
        return last == Long.MIN_VALUE || now < last || now - last >= refetchIntervalMillis;
    }

    private boolean mayRefetch(long now) {
        long last = lastRefetch.get();
        return refetchDue(now) && lastRefetch.compareAndSet(last, now);
    }

    // Runs on a thread of IdpCalls, never on a request's.
    private Cached fetch() throws IdpUnavailableException {
        long started = System.nanoTime();
        boolean failed = true;
        try {
            JWKSet keys = JWKSet.parse(retriever.retrieveResource(url).getContent());
            Cached fresh = new Cached(keys, clock.millis());
            cached = fresh;
            lastFailure = null;
            status = status.fetched(keyIds(keys), Instant.ofEpochMilli(fresh.fetchedAt()));
            failed = false;
            telemetry.jwksRefreshed();
            return fresh;
        } catch (Exception e) {
            String cause = IdpMetadataLoader.describe(rootCause(e));
            IdpUnavailableException failure = new IdpUnavailableException("identity provider unavailable: cannot"
                    + " fetch signing keys from " + jwksUri + ": " + cause, e);
            lastFailure = failure;
            noRefreshBefore = clock.millis() + RETRY_AFTER_FAILURE.toMillis();
            status = status.failed(cause, clock.instant());
            throw failure;
        } finally {
            telemetry.idpCall(IdpCall.JWKS, System.nanoTime() - started, failed);
        }
    }

    // Key ids only: an operator matches a token's kid against them; the keys say nothing more on a page.
    private static List<String> keyIds(JWKSet keys) {
        List<String> ids = new ArrayList<>();
        for (JWK key : keys.getKeys()) {
            ids.add(key.getKeyID() == null ? "(no kid)" : key.getKeyID());
        }
        return ids;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Nothing of its own to release: the fetch threads belong to {@link IdpCalls}. */
    @Override
    public void close() {
        cached = null;
    }

    private static URL toUrl(URI uri) {
        try {
            return uri.toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("jwks_uri is not a URL: " + uri, e);
        }
    }
}
