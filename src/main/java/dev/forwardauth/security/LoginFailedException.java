package dev.forwardauth.security;

/**
 * A login that cannot complete for a reason the user should read (the IdP's access token is not one we
 * can use, a bad callback). The message is safe to show: it never holds a token.
 */
public final class LoginFailedException extends RuntimeException {
    public LoginFailedException(String message) {
        super(message, null, false, false);
    }
}
