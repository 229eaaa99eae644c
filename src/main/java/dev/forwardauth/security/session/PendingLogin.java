package dev.forwardauth.security.session;

import java.time.Instant;

/**
 * What the callback's {@code state} refers to, so the web layer can pick the app's client and say precisely
 * what went wrong: {@code EXPIRED} (started more than {@code nonce-max-age} ago: "start again") differs from
 * {@code UNKNOWN} (never started in this browser, already used, or tampered with). {@code appName},
 * {@code requestedUrl} and {@code expiresAt} are null for {@code UNKNOWN}; for {@code EXPIRED} the first two say
 * where a new login should go. {@code expiresAt} is when the login stops being valid ({@code nonce-max-age} after
 * it started): how long its state must be remembered as used.
 */
public record PendingLogin(Status status, String appName, String requestedUrl, Instant expiresAt) {

    public enum Status { FOUND, EXPIRED, UNKNOWN }

    static final PendingLogin UNKNOWN = new PendingLogin(Status.UNKNOWN, null, null, null);

    public boolean isFound() {
        return status == Status.FOUND;
    }
}
