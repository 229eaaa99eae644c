package dev.forwardauth.security.token;

import java.time.Clock;
import java.util.Objects;

/**
 * Remembers successful validations until the token expires, so a busy API client costs one signature check
 * per token instead of one per request. Failures are not cached: they are cheap, and caching them would let
 * a transient IdP outage stick. Owns its cache, so one audience's results can never answer for another's.
 * Every answer is reported to the {@link Telemetry} (cached, valid, or why not).
 */
public final class CachingTokenValidator implements TokenValidator {
    public static final int DEFAULT_MAX_ENTRIES = 10_000;

    private final TokenValidator delegate;
    private final ValidatedTokenCache cache;
    private final Telemetry telemetry;

    public CachingTokenValidator(TokenValidator delegate, int maxEntries, Clock clock, Telemetry telemetry) {
        this.delegate = Objects.requireNonNull(delegate);
        this.cache = new ValidatedTokenCache(maxEntries, clock);
        this.telemetry = Objects.requireNonNull(telemetry);
    }

    public CachingTokenValidator(TokenValidator delegate, int maxEntries, Clock clock) {
        this(delegate, maxEntries, clock, Telemetry.NONE);
    }

    public CachingTokenValidator(TokenValidator delegate, Telemetry telemetry) {
        this(delegate, DEFAULT_MAX_ENTRIES, Clock.systemUTC(), telemetry);
    }

    public CachingTokenValidator(TokenValidator delegate) {
        this(delegate, Telemetry.NONE);
    }

    @Override
    public ValidatedAccessToken validate(String token) throws InvalidAccessTokenException, IdpUnavailableException {
        if (token != null && token.length() <= AccessTokenShape.MAX_LENGTH) {
            ValidatedAccessToken cached = cache.get(token);
            if (cached != null) {
                telemetry.tokenValidation(TokenCheck.CACHED);
                return cached;
            }
        }
        ValidatedAccessToken validated;
        try {
            validated = delegate.validate(token);
        } catch (InvalidAccessTokenException e) {
            telemetry.tokenValidation(e.reason());
            throw e;
        } catch (IdpUnavailableException e) {
            telemetry.tokenValidation(TokenCheck.UNAVAILABLE);
            throw e;
        }
        telemetry.tokenValidation(TokenCheck.VALID);
        if (token != null && token.length() <= AccessTokenShape.MAX_LENGTH) {
            cache.put(token, validated);
        }
        return validated;
    }

    /** Validations remembered now. */
    public int size() {
        return cache.size();
    }
}
