package dev.forwardauth.web;

import dev.forwardauth.security.IdpErrors;
import dev.forwardauth.security.TokenEndpointError;
import dev.forwardauth.security.session.SessionNotWrittenException;
import java.util.Optional;
import org.pac4j.oidc.exceptions.OidcIssuerMismatchException;
import org.pac4j.oidc.exceptions.OidcMissingSessionStateException;
import org.pac4j.oidc.exceptions.OidcMissingStateParameterException;
import org.pac4j.oidc.exceptions.OidcStateMismatchException;
import org.pac4j.oidc.exceptions.OidcTokenException;

/**
 * What went wrong in pac4j's callback, in words a user can read and that never contain a token. pac4j's
 * own messages are not shown as they are: some quote values from the IdP's response.
 */
final class LoginErrors {
    record Failure(int status, String message) {
    }

    private LoginErrors() {
    }

    static Failure describe(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            // Its message is ours and says why, with the sizes the operator needs (never a token).
            if (cause instanceof SessionNotWrittenException notWritten) {
                return new Failure(400, notWritten.getMessage());
            }
        }
        if (error instanceof OidcStateMismatchException || error instanceof OidcMissingStateParameterException
                || error instanceof OidcMissingSessionStateException) {
            return new Failure(400, "the sign-in response does not match the sign-in this browser started");
        }
        if (error instanceof OidcIssuerMismatchException) {
            return new Failure(400, "the sign-in response came from another identity provider");
        }
        // Before the ID-token check below: a key fetch that failed arrives as a Nimbus exception too.
        if (IdpErrors.unavailable(error)) {
            return new Failure(503, "the identity provider did not answer properly (down, too slow or failing),"
                    + " so the sign-in could not be completed; try again shortly");
        }
        Optional<TokenEndpointError> refusal = TokenEndpointError.in(error);
        if (refusal.isPresent()) {
            return new Failure(401, exchangeRefused(refusal.get()));
        }
        if (error instanceof OidcTokenException) {
            return new Failure(401, "the identity provider refused to exchange the authorization code");
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            String name = cause.getClass().getName();
            // A token response that is not one (HTML from a proxy, broken JSON): say so, not "could not be
            // completed". Nimbus's message may quote the body, which can hold tokens, so it is not shown.
            if (name.equals("com.nimbusds.oauth2.sdk.ParseException")) {
                return new Failure(401, "the identity provider's token response could not be read");
            }
            if (name.startsWith("com.nimbusds.jose.") || name.startsWith("com.nimbusds.jwt.")
                    || name.startsWith("com.nimbusds.openid.connect.sdk.validators.")) {
                return new Failure(401, "the identity provider's ID token is not valid: " + shortMessage(cause));
            }
        }
        return new Failure(400, "the sign-in could not be completed");
    }

    // By the OAuth error code (RFC 6749 5.2), so that a wrong client secret is not taken for a used code. The
    // operator reads the same words in the log; the IdP's error_description is never shown (it is free text).
    private static String exchangeRefused(TokenEndpointError refusal) {
        String code = refusal.code();
        // 401 is the status of a failed client authentication (RFC 6749 5.2), whatever the code says: Auth0
        // answers a wrong client secret with 401 access_denied.
        if (refusal.status() == 401) {
            return clientRefused(code == null ? "HTTP status 401" : code);
        }
        if (code == null) {
            return "the identity provider refused to exchange the authorization code (HTTP status " + refusal.status()
                    + ", no readable error code)";
        }
        return switch (code) {
            case "invalid_grant" -> "the identity provider refused to exchange the authorization code (it may have"
                    + " been used already)";
            case "invalid_client", "unauthorized_client" -> clientRefused(code);
            default -> "the identity provider refused to exchange the authorization code: " + code;
        };
    }

    private static String clientRefused(String reason) {
        return "the identity provider refused forwardauth's client-id or client-secret (" + reason
                + "); check the configuration";
    }

    private static String shortMessage(Throwable cause) {
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        // Nimbus messages name claims and values from the token (never the token itself); keep them short.
        return message.length() > 160 ? message.substring(0, 160) + "..." : message;
    }
}
