package dev.forwardauth.security;

import java.util.Map;

/**
 * The headers a proxy copies upstream for a signed-in caller: the access token untouched (SPEC 1), the
 * subject, and the configured claims keyed by their {@code X-Forwardauth-*} header names.
 */
public record Identity(String accessToken, String subject, Map<String, String> claimHeaders) {
}
