package dev.forwardauth.security.token;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;

/**
 * The claim rules of SPEC 1, in place of Nimbus's {@code DefaultJWTClaimsVerifier}: same checks, but with our
 * clock and one exact, user-safe message per rule. Nimbus calls it only after the signature verified, so a
 * forged token never learns which claim would have failed.
 */
final class AccessTokenClaimsVerifier implements JWTClaimsSetVerifier<SecurityContext> {
    private final String issuer;
    private final String audience;
    private final Duration skew;
    private final Clock clock;

    AccessTokenClaimsVerifier(String issuer, String audience, Duration skew, Clock clock) {
        this.issuer = Objects.requireNonNull(issuer);
        this.audience = Objects.requireNonNull(audience);
        this.skew = Objects.requireNonNull(skew);
        this.clock = Objects.requireNonNull(clock);
    }

    @Override
    public void verify(JWTClaimsSet claims, SecurityContext context) throws TokenRejectedException {
        // Exact string match: "https://tenant/" and "https://tenant" are different issuers.
        if (!issuer.equals(claims.getIssuer())) {
            throw new TokenRejectedException("access token issuer is not " + issuer);
        }
        if (!claims.getAudience().contains(audience)) {
            throw new TokenRejectedException("access token audience does not include " + audience);
        }
        verifyTimes(claims, clock.instant());
    }

    private void verifyTimes(JWTClaimsSet claims, Instant now) throws TokenRejectedException {
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw new TokenRejectedException("access token has no exp claim");
        }
        if (!now.isBefore(exp.toInstant().plus(skew))) {
            throw new TokenRejectedException(TokenCheck.EXPIRED, "access token expired");
        }
        if (isInFuture(claims.getNotBeforeTime(), now)) {
            throw new TokenRejectedException("access token is not valid yet (nbf)");
        }
        if (isInFuture(claims.getIssueTime(), now)) {
            throw new TokenRejectedException("access token was issued in the future (iat)");
        }
    }

    private boolean isInFuture(Date time, Instant now) {
        return time != null && time.toInstant().isAfter(now.plus(skew));
    }
}
