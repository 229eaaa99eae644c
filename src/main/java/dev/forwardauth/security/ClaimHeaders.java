package dev.forwardauth.security;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code X-Forwardauth-<claim>} header names (lower-case, {@code _} becomes {@code -}), computed once per
 * app rather than per request.
 */
final class ClaimHeaders {
    private ClaimHeaders() {
    }

    static Map<String, String> namesFor(List<String> claims) {
        Map<String, String> names = new LinkedHashMap<>();
        for (String claim : claims) {
            names.put(claim, "X-Forwardauth-" + claim.toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        return java.util.Collections.unmodifiableMap(names);
    }
}
