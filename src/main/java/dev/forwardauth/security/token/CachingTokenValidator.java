package dev.forwardauth.security.token;

import java.time.Clock;
import java.util.Objects;

/**
 * Remembers successful validations until the token expires, so a busy API client costs one signature check
 * per token instead of one per request. Failures are not cached: they are cheap, and caching them would let
 * a transient IdP outage stick. Owns its cache, so one audience's results can never answer for another's.
 */
public final class CachingTokenValidator implements TokenValidator {
    public static final int DEFAULT_MAX_ENTRIES = 10_000;

    private final TokenValidator delegate;
    private final ValidatedTokenCache cache;

    public CachingTokenValidator(TokenValidator delegate, int maxEntries, Clock clock) {
        this.delegate = Objects.requireNonNull(delegate);
        this.cache = new ValidatedTokenCache(maxEntries, clock);
    }

    public CachingTokenValidator(TokenValidator delegate) {
        this(delegate, DEFAULT_MAX_ENTRIES, Clock.systemUTC());
    }

    @Override
    public ValidatedAccessToken validate(String token) throws InvalidAccessTokenException, IdpUnavailableException {
        if (token == null || token.length() > AccessTokenShape.MAX_LENGTH) {
            return delegate.validate(token);
        }
        ValidatedAccessToken cached = cache.get(token);
        if (cached != null) {
            return cached;
        }
        ValidatedAccessToken validated = delegate.validate(token);
        cache.put(token, validated);
        return validated;
    }
}
