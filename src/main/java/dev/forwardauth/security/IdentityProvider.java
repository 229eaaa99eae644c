package dev.forwardauth.security;

import dev.forwardauth.config.ForwardAuthConfig;
import dev.forwardauth.security.token.IdpCall;
import dev.forwardauth.security.token.IdpCalls;
import dev.forwardauth.security.token.IdpMetadata;
import dev.forwardauth.security.token.IdpMetadataLoader;
import dev.forwardauth.security.token.IdpOverrides;
import dev.forwardauth.security.token.IdpUnavailableException;
import dev.forwardauth.security.token.JwksKeySource;
import dev.forwardauth.security.token.KeySetStatus;
import dev.forwardauth.security.token.SingleFlight;
import dev.forwardauth.security.token.Telemetry;
import java.io.Closeable;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * The IdP's discovery document and signing keys, fetched on first need and kept. forwardauth starts even
 * when the IdP is down (sessions and anonymous rules need no IdP); what needs it answers 503 until it is
 * back. Every call goes through {@link IdpCalls}: one discovery fetch at a time however many requests wait
 * for it, on a thread of ours; waiting requests hold a place in the bulkhead and give up after one fetch's
 * worth of time; a failure is remembered for {@link #RETRY_AFTER_FAILURE}, so a flood of logins while the
 * IdP is down is answered 503 at once instead of becoming a flood of discovery requests.
 */
public final class IdentityProvider implements Closeable {
    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(5);
    /** How long one answer to "is the IdP reachable?" is trusted before a login start asks again. */
    static final Duration REACHABILITY_TTL = Duration.ofSeconds(5);

    private final URI domain;
    private final String discoveryUrl;
    private final IdpOverrides overrides;
    private final IdpCalls calls;
    private final IdpMetadataLoader loader;
    private final Clock clock;
    private final SingleFlight<Loaded> discovery;
    private final SingleFlight<IdpMetadata> probe;
    private volatile Loaded loaded;
    private volatile Failure lastFailure;
    private volatile Instant reachabilityCheckedAt = Instant.MIN;
    private volatile IdpUnavailableException unreachable;
    private final Telemetry telemetry;

    private record Loaded(IdpMetadata metadata, JwksKeySource keys, Instant at) {
    }

    /**
     * What is known about the IdP right now, without asking it (for the status page). {@code metadata} and
     * {@code discoveredAt} are null until discovery succeeded; {@code error} is the last failure of
     * discovery (before it succeeded) or of the reachability check before a login (after).
     */
    public record Status(IdpMetadata metadata, Instant discoveredAt, String error, Instant errorAt,
                         KeySetStatus keys) {
    }

    private record Failure(IdpUnavailableException error, Instant at) {
    }

    public IdentityProvider(URI domain, IdpOverrides overrides, IdpCalls calls, Clock clock) {
        this(domain, overrides, calls, clock, Telemetry.NONE);
    }

    public IdentityProvider(URI domain, IdpOverrides overrides, IdpCalls calls, Clock clock, Telemetry telemetry) {
        this.telemetry = telemetry;
        this.domain = domain;
        this.overrides = overrides;
        this.calls = calls;
        this.loader = new IdpMetadataLoader(calls.timeouts());
        this.clock = clock;
        this.discovery = calls.singleFlight();
        this.probe = calls.singleFlight();
        this.discoveryUrl = IdpMetadataLoader.discoveryUrl(domain).toString();
    }

    /** The limits every call to this IdP obeys; flows that call it through pac4j enter its bulkhead too. */
    public IdpCalls calls() {
        return calls;
    }

    public IdpMetadata metadata() throws IdpUnavailableException {
        return load().metadata();
    }

    public JwksKeySource keys() throws IdpUnavailableException {
        return load().keys();
    }

    /**
     * Before a login starts: is the IdP there at all? Sending a browser to a dead IdP is a dead end, and
     * SPEC 4 says 503 when the IdP is needed and unreachable. The answer (a fetch of the discovery document)
     * is trusted for {@link #REACHABILITY_TTL}; then the next login start asks again and waits for the answer,
     * while the logins that arrive meanwhile go by the last one. Requests that need no login (sessions,
     * bearer tokens with known keys) never get here.
     */
    public void requireReachable() throws IdpUnavailableException {
        load();
        if (clock.instant().isBefore(reachabilityCheckedAt.plus(REACHABILITY_TTL)) || probe.inFlight()) {
            throwIfUnreachable();
            return;
        }
        try (IdpCalls.Permit permit = calls.enter()) {
            SingleFlight.Flight<IdpMetadata> flight = probe.join(this::fetchMetadata);
            if (!flight.started()) {
                throwIfUnreachable();
                return;
            }
            try {
                calls.await(flight.result(), discoveryUrl);
                unreachable = null;
            } catch (IdpUnavailableException e) {
                unreachable = e;
            }
            reachabilityCheckedAt = clock.instant();
        }
        throwIfUnreachable();
    }

    private void throwIfUnreachable() throws IdpUnavailableException {
        IdpUnavailableException last = unreachable;
        if (last != null) {
            throw last;
        }
    }

    /** True once discovery has succeeded; for start-up logs and the status page. */
    public boolean isLoaded() {
        return loaded != null;
    }

    /**
     * Discovery, then the signing keys, in the background: the first login and token need not wait. The
     * result completes with the issuer once discovery is done, or with why it failed.
     */
    public CompletableFuture<String> warmUp() {
        return discovery.join(this::discover).result().thenApply(done -> {
            done.keys().prefetch();
            return done.metadata().issuer();
        });
    }

    private Loaded load() throws IdpUnavailableException {
        Loaded current = loaded;
        if (current != null) {
            return current;
        }
        Failure failure = lastFailure;
        if (failure != null && clock.instant().isBefore(failure.at().plus(RETRY_AFTER_FAILURE))) {
            throw failure.error();
        }
        try (IdpCalls.Permit permit = calls.enter()) {
            return calls.await(discovery.join(this::discover).result(), discoveryUrl);
        } catch (IdpUnavailableException e) {
            // Also when this request gave up waiting for a fetch that still runs: the next ones answer at once.
            if (loaded == null) {
                lastFailure = new Failure(e, clock.instant());
            }
            throw e;
        }
    }

    // Runs on a thread of IdpCalls, never on a request's.
    private Loaded discover() throws IdpUnavailableException {
        Loaded current = loaded;
        if (current != null) {
            return current;
        }
        try {
            IdpMetadata metadata = fetchMetadata();
            Loaded fresh = new Loaded(metadata, JwksKeySource.remote(metadata.jwksUri(), calls, telemetry),
                    clock.instant());
            loaded = fresh;
            lastFailure = null;
            return fresh;
        } catch (IdpUnavailableException e) {
            lastFailure = new Failure(e, clock.instant());
            throw e;
        }
    }

    private IdpMetadata fetchMetadata() throws IdpUnavailableException {
        long started = System.nanoTime();
        boolean failed = true;
        try {
            IdpMetadata metadata = loader.load(domain, overrides);
            failed = false;
            return metadata;
        } finally {
            telemetry.idpCall(IdpCall.DISCOVERY, System.nanoTime() - started, failed);
        }
    }

    /** Whether a reload naming this IdP, with these limits, can keep this instance (and what it fetched). */
    boolean serves(URI otherDomain, IdpOverrides otherOverrides, ForwardAuthConfig.IdpLimits limits) {
        return domain.equals(otherDomain) && overrides.equals(otherOverrides)
                && calls.timeouts().connect().equals(limits.connectTimeout())
                && calls.timeouts().read().equals(limits.readTimeout())
                && calls.maxConcurrentCalls() == limits.maxConcurrentCalls();
    }

    /** What is known about the IdP now, without asking it. */
    public Status status() {
        Loaded current = loaded;
        if (current == null) {
            Failure failure = lastFailure;
            return new Status(null, null, failure == null ? null : failure.error().getMessage(),
                    failure == null ? null : failure.at(), KeySetStatus.NOT_FETCHED);
        }
        IdpUnavailableException probeFailure = unreachable;
        return new Status(current.metadata(), current.at(), probeFailure == null ? null : probeFailure.getMessage(),
                probeFailure == null ? null : reachabilityCheckedAt, current.keys().status());
    }

    /**
     * Stops the threads that fetch from this IdP, once no request uses this instance any more (a reload that
     * named another IdP, or the end of the webapp), so an undeployed webapp leaves no thread.
     */
    @Override
    public void close() {
        calls.close();
    }
}
