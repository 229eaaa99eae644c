package dev.forwardauth.security;

import dev.forwardauth.security.token.IdpUnavailableException;

/**
 * Carries an {@link IdpUnavailableException} through pac4j's engine, whose interfaces allow no checked
 * exceptions; the web layer turns it into 503. Never a 2xx.
 */
public final class IdpUnavailableError extends RuntimeException {
    public IdpUnavailableError(IdpUnavailableException cause) {
        super(cause.getMessage(), cause, false, false);
    }
}
