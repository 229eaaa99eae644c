package dev.forwardauth.security.token;

/** Validates a bearer access token for one (issuer, audience) pair; what the web layer depends on. */
@FunctionalInterface
public interface TokenValidator {
    ValidatedAccessToken validate(String token) throws InvalidAccessTokenException, IdpUnavailableException;
}
