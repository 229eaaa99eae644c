package dev.forwardauth.security;

import dev.forwardauth.security.token.IdpUnavailableException;
import java.io.IOException;

/**
 * Tells, for what escapes pac4j's calls to the IdP (code exchange, renewal, its ID-token keys), whether the
 * IdP failed to answer properly (503, try again later) rather than refused (4xx). Down, slow and broken
 * look like this: an I/O error anywhere in the chain (refused, reset, timed out, "HTTP 500" from a key
 * fetch), or a token endpoint answering 5xx or 429.
 */
public final class IdpErrors {

    private IdpErrors() {
    }

    public static boolean unavailable(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof IOException || cause instanceof IdpUnavailableException
                    || cause instanceof IdpUnavailableError) {
                return true;
            }
        }
        return TokenEndpointError.in(error).map(TokenEndpointError::unavailable).orElse(false);
    }
}
