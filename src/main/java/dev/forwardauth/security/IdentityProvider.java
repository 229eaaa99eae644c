package dev.forwardauth.security;

import dev.forwardauth.security.token.HttpTimeouts;
import dev.forwardauth.security.token.IdpCall;
import dev.forwardauth.security.token.IdpMetadata;
import dev.forwardauth.security.token.IdpMetadataLoader;
import dev.forwardauth.security.token.IdpOverrides;
import dev.forwardauth.security.token.IdpUnavailableException;
import dev.forwardauth.security.token.JwksKeySource;
import dev.forwardauth.security.token.KeySetStatus;
import java.io.IOException;
import dev.forwardauth.security.token.Telemetry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The IdP's discovery document and signing keys, fetched on first need and kept. forwardauth starts even
 * when the IdP is down (sessions and anonymous rules need no IdP); what needs it answers 503 until it is
 * back. A failed fetch is remembered for a short while so a flood of logins does not become a flood of
 * discovery requests, and only one thread fetches at a time: the others wait at most as long as one
 * fetch may take, then fail with 503 rather than queue behind a slow IdP.
 */
public final class IdentityProvider {
    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(5);
    /** How long one answer to "is the IdP reachable?" is trusted before a login start asks again. */
    static final Duration REACHABILITY_TTL = Duration.ofSeconds(5);

    private final URI domain;
    private final IdpOverrides overrides;
    private final HttpTimeouts timeouts;
    private final Clock clock;
    private final ReentrantLock fetching = new ReentrantLock();
    private volatile Loaded loaded;
    private volatile IdpUnavailableException lastFailure;
    private volatile Instant lastFailureAt = Instant.MIN;
    private final ReentrantLock probing = new ReentrantLock();
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

    public IdentityProvider(URI domain, IdpOverrides overrides, HttpTimeouts timeouts, Clock clock) {
        this(domain, overrides, timeouts, clock, Telemetry.NONE);
    }

    public IdentityProvider(URI domain, IdpOverrides overrides, HttpTimeouts timeouts, Clock clock,
                            Telemetry telemetry) {
        this.telemetry = telemetry;
        this.domain = domain;
        this.overrides = overrides;
        this.timeouts = timeouts;
        this.clock = clock;
    }

    public IdpMetadata metadata() throws IdpUnavailableException {
        return load().metadata();
    }

    public JwksKeySource keys() throws IdpUnavailableException {
        return load().keys();
    }

    /**
     * Before a login starts: is the IdP there at all? Sending a browser to a dead IdP is a dead end, and
     * SPEC 4 says 503 when the IdP is needed and unreachable. The answer (a fetch of the discovery document,
     * with our timeouts) is trusted for {@link #REACHABILITY_TTL}, and only one thread asks at a time; the
     * others go by the last answer. Requests that need no login (sessions, bearer tokens with known keys)
     * never get here.
     */
    public void requireReachable() throws IdpUnavailableException {
        load();
        if (clock.instant().isBefore(reachabilityCheckedAt.plus(REACHABILITY_TTL)) || !probing.tryLock()) {
            IdpUnavailableException last = unreachable;
            if (last != null) {
                throw last;
            }
            return;
        }
        try {
            try {
                discover();
                unreachable = null;
            } catch (IdpUnavailableException e) {
                unreachable = e;
            }
            reachabilityCheckedAt = clock.instant();
            if (unreachable != null) {
                throw unreachable;
            }
        } finally {
            probing.unlock();
        }
    }

    /** Whether this instance fetches from the same places, with the same limits, as those given. */
    boolean serves(URI otherDomain, IdpOverrides otherOverrides, HttpTimeouts otherTimeouts) {
        return domain.equals(otherDomain) && overrides.equals(otherOverrides) && timeouts.equals(otherTimeouts);
    }

    /**
     * Stops the key source's background refresh thread, once no request uses this instance any more (a
     * reload that named another IdP, or the end of the webapp), so an undeployed webapp leaves no thread.
     */
    public void close() {
        Loaded current = loaded;
        if (current != null) {
            try {
                current.keys().close();
            } catch (IOException e) {
                // only an executor is shut down here; nothing to report
            }
        }
    }

    /** True once discovery has succeeded; for start-up logs and the status page. */
    public boolean isLoaded() {
        return loaded != null;
    }

    public Status status() {
        Loaded current = loaded;
        if (current == null) {
            IdpUnavailableException failure = lastFailure;
            return new Status(null, null, failure == null ? null : failure.getMessage(),
                    failure == null ? null : lastFailureAt, KeySetStatus.NOT_FETCHED);
        }
        IdpUnavailableException probe = unreachable;
        return new Status(current.metadata(), current.at(), probe == null ? null : probe.getMessage(),
                probe == null ? null : reachabilityCheckedAt, current.keys().status());
    }

    private Loaded load() throws IdpUnavailableException {
        Loaded current = loaded;
        if (current != null) {
            return current;
        }
        try {
            if (!fetching.tryLock(timeouts.connect().plus(timeouts.read()).toMillis(), TimeUnit.MILLISECONDS)) {
                throw unavailable();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable();
        }
        try {
            if (loaded != null) {
                return loaded;
            }
            if (lastFailure != null && clock.instant().isBefore(lastFailureAt.plus(RETRY_AFTER_FAILURE))) {
                throw lastFailure;
            }
            try {
                IdpMetadata metadata = discover();
                loaded = new Loaded(metadata, JwksKeySource.remote(metadata.jwksUri(), timeouts, telemetry),
                        clock.instant());
                lastFailure = null;
                return loaded;
            } catch (IdpUnavailableException e) {
                lastFailure = e;
                lastFailureAt = clock.instant();
                throw e;
            }
        } finally {
            fetching.unlock();
        }
    }

    private IdpMetadata discover() throws IdpUnavailableException {
        long start = System.nanoTime();
        boolean failed = true;
        try {
            IdpMetadata metadata = new IdpMetadataLoader(timeouts).load(domain, overrides);
            failed = false;
            return metadata;
        } finally {
            telemetry.idpCall(IdpCall.DISCOVERY, System.nanoTime() - start, failed);
        }
    }

    private IdpUnavailableException unavailable() {
        IdpUnavailableException last = lastFailure;
        return last != null ? last
                : new IdpUnavailableException("identity provider unavailable: discovery is in progress", null);
    }
}
