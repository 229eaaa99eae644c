package dev.forwardauth.security.session;

/**
 * What the callback's {@code state} refers to, so the web layer can pick the app's client and say precisely
 * what went wrong: {@code EXPIRED} (started more than {@code nonce-max-age} ago: "start again") differs from
 * {@code UNKNOWN} (never started in this browser, already used, or tampered with). {@code appName} and
 * {@code requestedUrl} are null for {@code UNKNOWN}; for {@code EXPIRED} they say where a new login should go.
 */
public record PendingLogin(Status status, String appName, String requestedUrl) {

    public enum Status { FOUND, EXPIRED, UNKNOWN }

    static final PendingLogin UNKNOWN = new PendingLogin(Status.UNKNOWN, null, null);

    public boolean isFound() {
        return status == Status.FOUND;
    }
}
