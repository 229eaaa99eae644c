package dev.forwardauth.security.machine;

import dev.forwardauth.security.token.IdpUnavailableException;

/** Client credentials in, an access token for the app's audience out: one call to the IdP's token endpoint. */
@FunctionalInterface
public interface TokenExchange {
    IssuedToken exchange(ClientCredentials credentials) throws CredentialsRefusedException, IdpUnavailableException;
}
