package dev.forwardauth.security;

import dev.forwardauth.security.token.AccessTokenValidator;
import dev.forwardauth.security.token.CachingTokenValidator;
import dev.forwardauth.security.token.IdpUnavailableException;
import dev.forwardauth.security.token.InvalidAccessTokenException;
import dev.forwardauth.security.token.Telemetry;
import dev.forwardauth.security.token.TokenCheck;
import dev.forwardauth.security.token.TokenValidator;
import dev.forwardauth.security.token.ValidatedAccessToken;

/**
 * One app's access-token validator (its audience, the IdP's issuer and keys). Built on first use, because
 * the issuer comes from the discovery document and the IdP may be down when forwardauth starts.
 */
final class AppTokenValidator implements TokenValidator {
    private final IdentityProvider idp;
    private final String audience;
    private final boolean audienceIsClientId;
    private final Telemetry telemetry;
    private volatile CachingTokenValidator delegate;

    AppTokenValidator(IdentityProvider idp, String audience, String clientId, Telemetry telemetry) {
        this.idp = idp;
        this.audience = audience;
        this.audienceIsClientId = audience.equals(clientId);
        this.telemetry = telemetry;
    }

    @Override
    public ValidatedAccessToken validate(String token) throws InvalidAccessTokenException, IdpUnavailableException {
        TokenValidator current = delegate;
        if (current == null) {
            current = build();
        }
        return current.validate(token);
    }

    /** Validations this app remembers now (0 before the first). */
    int cached() {
        CachingTokenValidator current = delegate;
        return current == null ? 0 : current.size();
    }

    /** Builds the validator now rather than at the first token (after discovery, it costs no I/O). */
    void prepare() throws IdpUnavailableException {
        if (delegate == null) {
            build();
        }
    }

    private TokenValidator build() throws IdpUnavailableException {
        // The IdP is asked outside the lock: a request waiting for it must not hold others behind a monitor.
        String issuer = idp.metadata().issuer();
        var keys = idp.keys();
        synchronized (this) {
            if (delegate == null) {
                AccessTokenValidator accessTokens = new AccessTokenValidator(issuer, audience, keys);
                // Inside the cache, so an ID token is refused before it could be remembered as valid.
                TokenValidator checked = audienceIsClientId ? token -> refuseIdToken(accessTokens.validate(token))
                        : accessTokens;
                delegate = new CachingTokenValidator(checked, telemetry);
            }
            return delegate;
        }
    }

    // Where the API's audience is the client id (Authentik, Dex), an ID token has the same iss and aud as an
    // access token. SPEC 1: an ID token never authorizes. Ours always carry the login's nonce.
    private static ValidatedAccessToken refuseIdToken(ValidatedAccessToken validated)
            throws InvalidAccessTokenException {
        if (validated.claims().containsKey("nonce")) {
            throw new InvalidAccessTokenException(TokenCheck.ID_TOKEN, "access token is an ID token (it has a"
                    + " nonce claim); ID tokens are never used for authorization");
        }
        return validated;
    }
}
