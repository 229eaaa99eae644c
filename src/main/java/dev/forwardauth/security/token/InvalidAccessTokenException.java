package dev.forwardauth.security.token;

/**
 * The presented access token must not be trusted. The message is short and safe to show to the client (it
 * never contains the token or any secret), so the web layer can put it into the 401 body as is. No stack
 * trace: this is an expected answer, not a bug, and a flood of bad tokens should not pay for stack walks.
 */
public final class InvalidAccessTokenException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidAccessTokenException(String message) {
        super(message, null, false, false);
    }
}
