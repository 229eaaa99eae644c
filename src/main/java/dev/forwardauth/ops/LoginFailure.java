package dev.forwardauth.ops;

import java.util.Locale;

/** Why a login's callback (/signin) did not end in a session: the {@code reason} of failed logins. */
public enum LoginFailure {
    /** No state, or one this browser did not start or already used (a replay, another browser). */
    STATE,
    /** Slower than {@code nonce-max-age}. */
    EXPIRED,
    /** The identity provider answered with {@code error=} (e.g. the user declined). */
    IDP_ERROR,
    /** The code exchange or the ID or access token was refused. */
    REJECTED,
    /** The identity provider could not be reached (503). */
    UNAVAILABLE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
