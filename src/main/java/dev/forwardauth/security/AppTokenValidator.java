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
    private volatile TokenValidator delegate;

    AppTokenValidator(IdentityProvider idp, String audience) {
        this.idp = idp;
        this.audience = audience;
    }

    @Override
    public ValidatedAccessToken validate(String token) throws InvalidAccessTokenException, IdpUnavailableException {
        TokenValidator current = delegate;
        if (current == null) {
            current = build();
        }
        return current.validate(token);
    }

    private synchronized TokenValidator build() throws IdpUnavailableException {
        if (delegate == null) {
            delegate = new CachingTokenValidator(
                    new AccessTokenValidator(idp.metadata().issuer(), audience, idp.keys()));
        }
        return delegate;
    }
}
