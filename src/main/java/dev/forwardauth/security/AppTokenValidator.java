package dev.forwardauth.security;

import dev.forwardauth.security.token.AccessTokenValidator;
import dev.forwardauth.security.token.CachingTokenValidator;
import dev.forwardauth.security.token.IdpUnavailableException;
import dev.forwardauth.security.token.InvalidAccessTokenException;
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
    private volatile TokenValidator delegate;

    AppTokenValidator(IdentityProvider idp, String audience, String clientId) {
        this.idp = idp;
        this.audience = audience;
        this.audienceIsClientId = audience.equals(clientId);
    }

    @Override
    public ValidatedAccessToken validate(String token) throws InvalidAccessTokenException, IdpUnavailableException {
        TokenValidator current = delegate;
        if (current == null) {
            current = build();
        }
        ValidatedAccessToken validated = current.validate(token);
        // Where the API's audience is the client id (Authentik, Dex), an ID token has the same iss and aud as
        // an access token. SPEC 1: an ID token never authorizes. Ours always carry the login's nonce.
        if (audienceIsClientId && validated.claims().containsKey("nonce")) {
            throw new InvalidAccessTokenException("access token is an ID token (it has a nonce claim);"
                    + " ID tokens are never used for authorization");
        }
        return validated;
    }

    private TokenValidator build() throws IdpUnavailableException {
        // The IdP is asked outside the lock: a request waiting for it must not hold others behind a monitor.
        String issuer = idp.metadata().issuer();
        var keys = idp.keys();
        synchronized (this) {
            if (delegate == null) {
                delegate = new CachingTokenValidator(new AccessTokenValidator(issuer, audience, keys));
            }
            return delegate;
        }
    }
}
