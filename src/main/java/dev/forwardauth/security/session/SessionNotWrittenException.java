package dev.forwardauth.security.session;

/**
 * A login completed, but no session cookie can carry it (its tokens are too large for the cookies, or they
 * expired before the cookie was written), for a reason the user and the operator must read: otherwise the
 * answer is a vague page, or a redirect back to the page without a session and round through the IdP again.
 * Thrown by {@link CookieSessionStore#commit}, which then drops the new session, so the
 * error page's own commit writes only the rest (the used pending login deleted). The message never holds a
 * token.
 */
public final class SessionNotWrittenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private SessionNotWrittenException(String message) {
        super(message, null, false, false);
    }

    static SessionNotWrittenException tooLarge(int length, int limit) {
        return new SessionNotWrittenException("the tokens are too large for the session cookie: " + length
                + " bytes, at most " + limit + " (the identity provider puts too many claims or permissions into"
                + " them)");
    }

    static SessionNotWrittenException expired() {
        return new SessionNotWrittenException("the tokens had already expired when the session cookie was written,"
                + " so it cannot be made; check that the clocks of the identity provider and of forwardauth agree");
    }
}
