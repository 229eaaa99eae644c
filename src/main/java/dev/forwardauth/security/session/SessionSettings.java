package dev.forwardauth.security.session;

import java.time.Duration;
import java.util.Objects;

/**
 * What the session store needs from the configuration: the key material and the two lifetimes
 * ({@code session-secret}, {@code session-max-age}, {@code nonce-max-age}).
 */
public record SessionSettings(String secret, Duration sessionMaxAge, Duration nonceMaxAge) {

    static final int MIN_SECRET_LENGTH = 32;

    public SessionSettings {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(sessionMaxAge, "sessionMaxAge");
        Objects.requireNonNull(nonceMaxAge, "nonceMaxAge");
        // The config validator reports this to the user; here it only guards against wiring mistakes.
        if (secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("session secret must have at least " + MIN_SECRET_LENGTH + " characters");
        }
        if (sessionMaxAge.isNegative() || sessionMaxAge.isZero() || nonceMaxAge.isNegative() || nonceMaxAge.isZero()) {
            throw new IllegalArgumentException("session and nonce max ages must be positive");
        }
    }

    public static SessionSettings of(String secret, long sessionMaxAgeSeconds, long nonceMaxAgeSeconds) {
        return new SessionSettings(secret, Duration.ofSeconds(sessionMaxAgeSeconds), Duration.ofSeconds(nonceMaxAgeSeconds));
    }

    // A record prints every component; the secret must never reach a log line or an exception message.
    @Override
    public String toString() {
        return "SessionSettings[secret=<redacted>, sessionMaxAge=" + sessionMaxAge + ", nonceMaxAge=" + nonceMaxAge + "]";
    }
}
