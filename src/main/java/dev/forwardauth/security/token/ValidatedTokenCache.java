package dev.forwardauth.security.token;

import dev.forwardauth.security.cache.DigestCache;
import java.time.Clock;

/**
 * Validation results by SHA-256 of the token, valid until the token's {@code exp}, bounded: see
 * {@link DigestCache}. The token itself is never kept.
 */
final class ValidatedTokenCache {
    private final DigestCache<ValidatedAccessToken> entries;

    ValidatedTokenCache(int maxEntries, Clock clock) {
        this.entries = new DigestCache<>(maxEntries, clock);
    }

    ValidatedAccessToken get(String token) {
        return entries.get(token);
    }

    // No skew here: the validator already granted it once; a cached answer must not outlive the token.
    void put(String token, ValidatedAccessToken validated) {
        entries.put(token, validated, validated.expiresAt());
    }

    int size() {
        return entries.size();
    }
}
