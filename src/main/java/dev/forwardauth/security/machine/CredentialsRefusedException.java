package dev.forwardauth.security.machine;

/**
 * The identity provider refused a machine client's credentials (or issued a token that is not valid for the
 * app). The message is safe to show to the client and to log: it names the client id and the IdP's answer,
 * never the secret or a token. No stack trace: a refusal is an expected answer.
 */
public final class CredentialsRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    public CredentialsRefusedException(String message) {
        super(message, null, false, false);
    }
}
