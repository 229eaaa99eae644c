package dev.forwardauth.security.token;

/**
 * What the security layer tells the metrics about, without knowing any metrics library: calls to the identity
 * provider, access-token validations, signing-key refreshes. Implementations are called on request threads and
 * must be cheap and never throw; {@link #NONE} ignores everything.
 */
public interface Telemetry {
    Telemetry NONE = new Telemetry() {
    };

    /** One HTTP call to the identity provider took {@code nanos}; {@code failed}: no usable answer. */
    default void idpCall(IdpCall call, long nanos, boolean failed) {
    }

    /** The answer to one access-token validation (bearer tokens, anonymous rules, the token of a login). */
    default void tokenValidation(TokenCheck result) {
    }

    /** The access-token signing keys were fetched and replaced. */
    default void jwksRefreshed() {
    }

    /** A token named a key the cached set does not hold, and forwardauth asked the IdP for its keys again. */
    default void jwksUnknownKeyRefetch() {
    }
}
