package dev.forwardauth.security.machine;

import dev.forwardauth.security.cache.DigestCache;
import dev.forwardauth.security.token.HttpTimeouts;
import dev.forwardauth.security.token.IdpUnavailableException;
import dev.forwardauth.security.token.InvalidAccessTokenException;
import dev.forwardauth.security.token.TokenValidator;
import dev.forwardauth.security.token.ValidatedAccessToken;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One app's access tokens for machine clients ({@code allow-basic}): client credentials are exchanged at the
 * IdP once and the token is reused until shortly before it expires; a refused pair is answered from memory for
 * {@link Limits#refusalTtl()} without asking the IdP again. Both caches are bounded and keyed by
 * {@link CredentialKeys} (HMAC with a per-process key), so no secret is kept. Concurrent first requests with
 * the same pair share one exchange; at most {@link Limits#maxConcurrentExchanges()} run at once, so a slow IdP
 * cannot tie up every request thread (the others get 503, never a 2xx).
 */
public final class MachineTokens {
    private static final Logger LOG = LoggerFactory.getLogger(MachineTokens.class);
    /** A cached token is given up this long before it expires (half its lifetime, for very short ones). */
    static final Duration EXPIRY_MARGIN = Duration.ofSeconds(30);

    /**
     * @param maxTokens cached tokens, at most (one per client pair)
     * @param maxRefusals refused pairs remembered, at most
     * @param refusalTtl how long a refused pair is answered without asking the IdP again
     * @param maxConcurrentExchanges exchanges running at once, for distinct pairs
     * @param maxWait how long a request waits for an exchange another request started for the same pair
     */
    public record Limits(int maxTokens, int maxRefusals, Duration refusalTtl, int maxConcurrentExchanges,
                         Duration maxWait) {
        public static final int DEFAULT_MAX_TOKENS = 1_000;
        public static final int DEFAULT_MAX_REFUSALS = 1_000;
        public static final Duration DEFAULT_REFUSAL_TTL = Duration.ofSeconds(30);
        public static final int DEFAULT_MAX_CONCURRENT_EXCHANGES = 8;

        public Limits {
            Objects.requireNonNull(refusalTtl, "refusalTtl");
            Objects.requireNonNull(maxWait, "maxWait");
            if (maxConcurrentExchanges < 1) {
                throw new IllegalArgumentException("at least one exchange must be allowed");
            }
        }

        /** The defaults; a waiting request gives up when the exchange it waits for would have timed out. */
        public static Limits defaults(HttpTimeouts timeouts) {
            return new Limits(DEFAULT_MAX_TOKENS, DEFAULT_MAX_REFUSALS, DEFAULT_REFUSAL_TTL,
                    DEFAULT_MAX_CONCURRENT_EXCHANGES, timeouts.connect().plus(timeouts.read()));
        }
    }

    private final TokenExchange exchange;
    private final TokenValidator validator;
    private final Limits limits;
    private final Clock clock;
    private final CredentialKeys keys = new CredentialKeys();
    private final DigestCache<MachineToken> tokens;
    private final DigestCache<String> refusals;
    private final Map<String, CompletableFuture<MachineToken>> inFlight = new ConcurrentHashMap<>();
    private final Semaphore exchanges;
    private final AtomicInteger waiting = new AtomicInteger();

    public MachineTokens(TokenExchange exchange, TokenValidator validator, Limits limits, Clock clock) {
        this.exchange = Objects.requireNonNull(exchange);
        this.validator = Objects.requireNonNull(validator);
        this.limits = Objects.requireNonNull(limits);
        this.clock = Objects.requireNonNull(clock);
        this.tokens = new DigestCache<>(limits.maxTokens(), clock);
        this.refusals = new DigestCache<>(limits.maxRefusals(), clock);
        this.exchanges = new Semaphore(limits.maxConcurrentExchanges());
    }

    /**
     * The access token for this pair, validated for the app: from the cache, or from the IdP.
     *
     * @throws CredentialsRefusedException the IdP refused the pair (now or within the refusal interval), or
     *         its token is not valid for this app: 401
     * @throws IdpUnavailableException the IdP could not be asked or did not answer in time: 503
     */
    public MachineToken tokenFor(ClientCredentials credentials)
            throws CredentialsRefusedException, IdpUnavailableException {
        String key = keys.keyOf(credentials);
        MachineToken known = remembered(key);
        if (known != null) {
            return known;
        }
        CompletableFuture<MachineToken> mine = new CompletableFuture<>();
        CompletableFuture<MachineToken> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return await(running);
        }
        try {
            // Another request may have finished this very exchange between our look-up and putIfAbsent.
            MachineToken token = remembered(key);
            if (token == null) {
                token = exchangeAndRemember(key, credentials);
            }
            mine.complete(token);
            return token;
        } catch (Throwable e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    /** The cached token for this pair, or null: never asks the IdP (for anonymous rules). */
    public MachineToken cached(ClientCredentials credentials) {
        return tokens.get(keys.keyOf(credentials));
    }

    public int tokenCount() {
        return tokens.size();
    }

    public int refusalCount() {
        return refusals.size();
    }

    /** Requests now waiting for an exchange another request started. */
    int waiting() {
        return waiting.get();
    }

    private MachineToken remembered(String key) throws CredentialsRefusedException {
        MachineToken token = tokens.get(key);
        if (token != null) {
            return token;
        }
        String refusal = refusals.get(key);
        if (refusal != null) {
            throw new CredentialsRefusedException(refusal);
        }
        return null;
    }

    private MachineToken exchangeAndRemember(String key, ClientCredentials credentials)
            throws CredentialsRefusedException, IdpUnavailableException {
        if (!exchanges.tryAcquire()) {
            throw new IdpUnavailableException("identity provider unavailable: " + limits.maxConcurrentExchanges()
                    + " token requests for machine clients are already waiting for it", null);
        }
        try {
            IssuedToken issued;
            try {
                issued = exchange.exchange(credentials);
            } catch (CredentialsRefusedException e) {
                refuse(key, credentials, e.getMessage());
                throw e;
            }
            ValidatedAccessToken validated;
            try {
                validated = validator.validate(issued.accessToken());
            } catch (InvalidAccessTokenException e) {
                String reason = "the identity provider issued client " + credentials.clientId()
                        + " an access token that is not valid for this app: " + e.getMessage();
                refuse(key, credentials, reason);
                throw new CredentialsRefusedException(reason);
            }
            MachineToken token = new MachineToken(issued.accessToken(), validated);
            tokens.put(key, token, reuseUntil(issued, validated));
            return token;
        } finally {
            exchanges.release();
        }
    }

    private void refuse(String key, ClientCredentials credentials, String reason) {
        refusals.put(key, reason, clock.instant().plus(limits.refusalTtl()));
        LOG.info("machine client {} refused: {}", credentials.clientId(), reason);
    }

    /** The earlier of {@code exp} and {@code expires_in}, less the margin: never a token about to expire. */
    private Instant reuseUntil(IssuedToken issued, ValidatedAccessToken validated) {
        Instant now = clock.instant();
        Instant expiresAt = validated.expiresAt();
        if (issued.lifetime() != null && !issued.lifetime().isNegative() && !issued.lifetime().isZero()) {
            Instant byLifetime = now.plus(issued.lifetime());
            if (byLifetime.isBefore(expiresAt)) {
                expiresAt = byLifetime;
            }
        }
        Duration left = Duration.between(now, expiresAt);
        Duration half = left.dividedBy(2);
        return expiresAt.minus(half.compareTo(EXPIRY_MARGIN) < 0 ? half : EXPIRY_MARGIN);
    }

    private MachineToken await(CompletableFuture<MachineToken> running)
            throws CredentialsRefusedException, IdpUnavailableException {
        waiting.incrementAndGet();
        try {
            return running.get(limits.maxWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IdpUnavailableException("identity provider unavailable: no answer from its token endpoint"
                    + " within " + limits.maxWait().toMillis() + " ms", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IdpUnavailableException("identity provider unavailable: interrupted while waiting for it", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CredentialsRefusedException refused) {
                throw new CredentialsRefusedException(refused.getMessage());
            }
            if (cause instanceof IdpUnavailableException unavailable) {
                throw new IdpUnavailableException(unavailable.getMessage(), unavailable);
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("token exchange failed", cause);
        } finally {
            waiting.decrementAndGet();
        }
    }
}
