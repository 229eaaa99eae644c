package dev.forwardauth.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** RFC 9110 tokens: what HTTP method names and header-name suffixes (claims) are made of. */
final class Tokens {
    private static final String SPECIALS = "!#$%&'*+-.^_`|~";

    // The IANA HTTP method registry. Other tokens are allowed (WebDAV servers and caches invent their
    // own), but one letter away from a registered method is a typo: the original's own example listed
    // "OPTION", which leaves OPTIONS unrestricted.
    private static final List<String> REGISTERED_METHODS = List.of("ACL", "BASELINE-CONTROL", "BIND", "CHECKIN",
            "CHECKOUT", "CONNECT", "COPY", "DELETE", "GET", "HEAD", "LABEL", "LINK", "LOCK", "MERGE", "MKACTIVITY",
            "MKCALENDAR", "MKCOL", "MKREDIRECTREF", "MKWORKSPACE", "MOVE", "OPTIONS", "ORDERPATCH", "PATCH", "POST",
            "PRI", "PROPFIND", "PROPPATCH", "PUT", "QUERY", "REBIND", "REPORT", "SEARCH", "TRACE", "UNBIND",
            "UNCHECKOUT", "UNLINK", "UNLOCK", "UPDATE", "UPDATEREDIRECTREF", "VERSION-CONTROL");

    private Tokens() {
    }

    static boolean isToken(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || SPECIALS.indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * Methods are case-sensitive (RFC 9110, 9.1), so "get" would never match a GET request and the
     * restriction would silently do nothing; say so instead of guessing.
     */
    static Optional<String> methodProblem(String method) {
        if (!isToken(method)) {
            return Optional.of("must be an HTTP method (an RFC 9110 token in upper case, like GET or PROPFIND),"
                    + " got \"" + method + "\"");
        }
        String upper = method.toUpperCase(Locale.ROOT);
        if (!upper.equals(method)) {
            return Optional.of("must be upper case (HTTP methods are case-sensitive): use \"" + upper
                    + "\", got \"" + method + "\"");
        }
        if (!REGISTERED_METHODS.contains(method)) {
            String meant = KeySuggestions.closest(method, REGISTERED_METHODS, 1);
            if (meant != null) {
                return Optional.of("is not a registered HTTP method (did you mean \"" + meant + "\"?), got \""
                        + method + "\"");
            }
        }
        return Optional.empty();
    }

    static Optional<String> claimProblem(String claim) {
        if (!isToken(claim)) {
            return Optional.of("must be a claim name of letters, digits and " + SPECIALS
                    + " (it becomes part of a header name), got \"" + claim + "\"");
        }
        return Optional.empty();
    }
}
