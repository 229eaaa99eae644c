package dev.forwardauth.security;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pac4j.oidc.exceptions.OidcTokenException;

/**
 * The IdP's token endpoint refused a code exchange or a refresh (RFC 6749 5.2): its error code, when it sent
 * a printable one, and the HTTP status. pac4j 6.2 reports the refusal only as the text
 * {@code Bad token response, error=CODE, description=TEXT, status=NNN}; this is the one place that reads it.
 * The description is never kept: it is the IdP's free text, and nothing says it cannot quote what it was sent.
 */
public record TokenEndpointError(String code, int status) {

    // The description may hold anything, ", status=" and line breaks included: pac4j's own status is the last.
    private static final Pattern MESSAGE =
            Pattern.compile("^Bad token response, error=(.*?), description=.*, status=(\\d{3})$", Pattern.DOTALL);
    // RFC 6749 5.2: error codes are printable ASCII without '"' and '\'. Anything else is not shown.
    private static final Pattern CODE = Pattern.compile("[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]{1,64}");

    /** The token endpoint's refusal somewhere in {@code error}'s causes; empty if there is none. */
    public static Optional<TokenEndpointError> in(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof OidcTokenException && cause.getMessage() != null) {
                Matcher message = MESSAGE.matcher(cause.getMessage());
                if (message.matches()) {
                    String code = message.group(1);
                    return Optional.of(new TokenEndpointError(CODE.matcher(code).matches() && !"null".equals(code)
                            ? code : null, Integer.parseInt(message.group(2))));
                }
            }
        }
        return Optional.empty();
    }

    /** 5xx and 429: the IdP is failing or overloaded, which is worth a retry, not a refusal. */
    public boolean unavailable() {
        return status >= 500 || status == 429;
    }
}
