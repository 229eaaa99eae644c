package dev.forwardauth.security.token;

import java.net.URI;

/**
 * Optional replacements for endpoints of the discovery document (config keys {@code authorize-url},
 * {@code token-endpoint}, {@code userinfo-endpoint}, {@code logout-endpoint}, {@code jwks-uri}); null keeps
 * the discovered value.
 */
public record IdpOverrides(URI authorizeUrl, URI tokenEndpoint, URI userinfoEndpoint, URI logoutEndpoint, URI jwksUri) {
    public static final IdpOverrides NONE = new IdpOverrides(null, null, null, null, null);
}
