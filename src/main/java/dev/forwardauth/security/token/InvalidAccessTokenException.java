package dev.forwardauth.security.token;

/**
 * The presented access token must not be trusted. The message is short and safe to show to the client (it
 * never contains the token or any secret), so the web layer can put it into the 401 body as is. No stack
 * trace: this is an expected answer, not a bug, and a flood of bad tokens should not pay for stack walks.
 */
public final class InvalidAccessTokenException extends Exception {
    private static final long serialVersionUID = 1L;

    private final TokenCheck reason;

    /** A token that is not a usable JWT at all ({@link TokenCheck#MALFORMED}). */
    public InvalidAccessTokenException(String message) {
        this(TokenCheck.MALFORMED, message);
    }

    public InvalidAccessTokenException(TokenCheck reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    /** Why, as a class for the metrics; the message says it in words. */
    public TokenCheck reason() {
        return reason;
    }
}
