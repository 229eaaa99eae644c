package dev.forwardauth.security.token;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import java.text.ParseException;
import java.time.Clock;

/**
 * Reads the claims of an access token that was fully validated at login or refresh and has come back
 * inside our own encrypted, authenticated session cookie. Its signature is not checked again: the cookie
 * proves we stored it, and re-verifying would make every session request depend on the IdP's keys (a
 * restart while the IdP is down would then log everybody out). Expiry is still checked.
 */
public final class SessionTokenReader implements TokenValidator {
    private final Clock clock;

    public SessionTokenReader(Clock clock) {
        this.clock = clock;
    }

    @Override
    public ValidatedAccessToken validate(String token) throws InvalidAccessTokenException {
        JWTClaimsSet claims;
        try {
            claims = JWTParser.parse(token).getJWTClaimsSet();
        } catch (ParseException e) {
            throw new InvalidAccessTokenException("access token is malformed");
        }
        if (claims.getExpirationTime() == null) {
            throw new InvalidAccessTokenException(TokenCheck.CLAIMS, "access token has no exp claim");
        }
        if (!claims.getExpirationTime().toInstant().isAfter(clock.instant())) {
            throw new InvalidAccessTokenException(TokenCheck.EXPIRED, "access token expired");
        }
        return ValidatedAccessToken.of(claims);
    }
}
