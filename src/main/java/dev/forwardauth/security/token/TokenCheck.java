package dev.forwardauth.security.token;

import java.util.Locale;

/** The answer to one access-token validation, in classes an operator can act on (a metric label each). */
public enum TokenCheck {
    /** Verified now: signature, type, issuer, audience, times. */
    VALID,
    /** Verified earlier and remembered until it expires. */
    CACHED,
    /** Not a JWT forwardauth accepts: missing, too large, opaque, not parseable, alg none or not allowed. */
    MALFORMED,
    /** The signature does not verify. */
    SIGNATURE,
    /** Signed with a key the identity provider does not (or no longer) publish. */
    UNKNOWN_KEY,
    /** Past its {@code exp}. */
    EXPIRED,
    /** Another issuer, audience or type, no {@code exp}, or not valid yet. */
    CLAIMS,
    /** An ID token sent as an access token. */
    ID_TOKEN,
    /** The identity provider's keys could not be fetched (503). */
    UNAVAILABLE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
