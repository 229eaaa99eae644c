package dev.forwardauth.security;

import dev.forwardauth.security.token.IdpUnavailableException;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pac4j.oidc.exceptions.OidcTokenException;

/**
 * Tells, for what escapes pac4j's calls to the IdP (code exchange, renewal, its ID-token keys), whether the
 * IdP failed to answer properly (503, try again later) rather than refused (4xx). Down, slow and broken
 * look like this: an I/O error anywhere in the chain (refused, reset, timed out, "HTTP 500" from a key
 * fetch), or a token endpoint answering 5xx or 429.
 */
public final class IdpErrors {
    // pac4j 6.2 reports a token error response only as text: "Bad token response, error=..., status=500".
    private static final Pattern TOKEN_STATUS = Pattern.compile(", status=(\\d{3})$");

    private IdpErrors() {
    }

    public static boolean unavailable(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof IOException || cause instanceof IdpUnavailableException
                    || cause instanceof IdpUnavailableError) {
                return true;
            }
            if (cause instanceof OidcTokenException && cause.getMessage() != null) {
                Matcher status = TOKEN_STATUS.matcher(cause.getMessage());
                if (status.find()) {
                    int code = Integer.parseInt(status.group(1));
                    return code >= 500 || code == 429;
                }
            }
        }
        return false;
    }
}
