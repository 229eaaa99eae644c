package dev.forwardauth.security.token;

import java.util.Locale;

/**
 * The kinds of HTTP call forwardauth makes to the identity provider. There is no userinfo call (profile claims
 * come from the ID token) and no logout call (the browser is sent to the logout endpoint).
 */
public enum IdpCall {
    /** The discovery document: on first need, and the reachability check before a login starts. */
    DISCOVERY,
    /** The signing keys (for access tokens, and pac4j's for ID tokens). */
    JWKS,
    /** The authorization code exchanged for tokens at the end of a login. */
    TOKEN,
    /** A session renewed with its refresh token. */
    REFRESH;

    /** The metric label. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
