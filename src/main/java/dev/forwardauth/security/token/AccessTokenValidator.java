package dev.forwardauth.security.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.security.Key;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Validates a JWT access token as SPEC 1 demands: asymmetric signature against the IdP's keys, header typ,
 * exact {@code iss}, {@code aud} containing the app's audience, {@code exp}/{@code nbf}/{@code iat} within a
 * small skew. Nimbus does the parsing and the crypto; we only choose the rules and the messages. Thread-safe;
 * no I/O once the keys are cached.
 */
public final class AccessTokenValidator implements TokenValidator {
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
    // A larger skew would quietly extend every token's life; a clock that far off needs fixing, not tolerating.
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    public AccessTokenValidator(String expectedIssuer, String requiredAudience, JWKSource<SecurityContext> keys,
            Duration clockSkew, Clock clock) {
        requireText(expectedIssuer, "expected issuer");
        // SPEC 1: without an audience the IdP hands out opaque tokens; the config check must have caught it.
        requireText(requiredAudience, "required audience");
        Objects.requireNonNull(keys, "keys");
        if (clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
            throw new IllegalArgumentException("clock skew must be between 0 and " + MAX_CLOCK_SKEW);
        }
        processor.setJWSTypeVerifier(new AccessTokenTypeVerifier());
        processor.setJWSKeySelector(new KnownKeySelector(keys));
        processor.setJWTClaimsSetVerifier(
                new AccessTokenClaimsVerifier(expectedIssuer, requiredAudience, clockSkew, clock));
    }

    public AccessTokenValidator(String expectedIssuer, String requiredAudience, JWKSource<SecurityContext> keys) {
        this(expectedIssuer, requiredAudience, keys, DEFAULT_CLOCK_SKEW, Clock.systemUTC());
    }

    @Override
    public ValidatedAccessToken validate(String token) throws InvalidAccessTokenException, IdpUnavailableException {
        SignedJWT jwt = AccessTokenShape.parse(token);
        try {
            return ValidatedAccessToken.of(processor.process(jwt, null));
        } catch (TokenRejectedException e) {
            throw new InvalidAccessTokenException(e.check(), e.getMessage());
        } catch (BadJWSException e) {
            throw new InvalidAccessTokenException(TokenCheck.SIGNATURE, "access token signature is invalid");
        } catch (UnknownKeyException e) {
            throw new InvalidAccessTokenException(TokenCheck.UNKNOWN_KEY, "access token signed with unknown key");
        } catch (KeySourceException e) {
            // Only JwksKeySource throws these, when it has no usable keys and cannot fetch any: 503, not 401.
            throw new IdpUnavailableException(e.getMessage(), e);
        } catch (BadJOSEException | JOSEException e) {
            throw new InvalidAccessTokenException(TokenCheck.SIGNATURE, "access token could not be verified");
        }
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
    }

    /** Nimbus's selector, restricted to our algorithms, turning "no key" into a type instead of a sentence. */
    private static final class KnownKeySelector implements JWSKeySelector<SecurityContext> {
        private final JWSVerificationKeySelector<SecurityContext> delegate;

        KnownKeySelector(JWKSource<SecurityContext> keys) {
            delegate = new JWSVerificationKeySelector<>(AccessTokenShape.ALLOWED_ALGORITHMS, keys);
        }

        @Override
        public List<? extends Key> selectJWSKeys(JWSHeader header, SecurityContext context)
                throws KeySourceException {
            List<? extends Key> keys = delegate.selectJWSKeys(header, context);
            if (keys.isEmpty()) {
                throw new UnknownKeyException();
            }
            return keys;
        }
    }

    private static final class UnknownKeyException extends KeySourceException {
        private static final long serialVersionUID = 1L;

        UnknownKeyException() {
            super("no key for this token's kid and alg");
        }
    }
}
