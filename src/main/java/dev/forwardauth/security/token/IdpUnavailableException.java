package dev.forwardauth.security.token;

/**
 * The identity provider (its discovery document or its signing keys) could not be reached or gave an unusable
 * answer. Checked on purpose: every caller must decide, and the web layer answers 503, never 2xx. The message
 * names the URL and the cause; it never contains a token.
 */
public final class IdpUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    public IdpUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
