package dev.forwardauth.security.token;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Validation results by SHA-256 of the token, valid until the token's {@code exp}. The token itself is never
 * kept: a heap dump of the cache yields no credential. Bounded: when full, one thread at a time drops the
 * expired entries and then arbitrary ones (hash order) down to 15/16 of the capacity, so a flood of distinct
 * valid tokens costs an O(n) sweep only every n/16 insertions; while that runs, others skip caching instead of
 * growing the map.
 */
final class ValidatedTokenCache {
    private final Map<TokenDigest, ValidatedAccessToken> entries = new ConcurrentHashMap<>();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private final int maxEntries;
    private final Clock clock;

    ValidatedTokenCache(int maxEntries, Clock clock) {
        if (maxEntries < 16) {
            throw new IllegalArgumentException("cache needs at least 16 entries");
        }
        this.maxEntries = maxEntries;
        this.clock = Objects.requireNonNull(clock);
    }

    ValidatedAccessToken get(String token) {
        TokenDigest key = TokenDigest.of(token);
        ValidatedAccessToken hit = entries.get(key);
        if (hit == null) {
            return null;
        }
        if (isExpired(hit, clock.instant())) {
            entries.remove(key, hit);
            return null;
        }
        return hit;
    }

    void put(String token, ValidatedAccessToken validated) {
        if (isExpired(validated, clock.instant())) {
            return;
        }
        if (entries.size() >= maxEntries && !makeRoom()) {
            return;
        }
        entries.put(TokenDigest.of(token), validated);
    }

    int size() {
        return entries.size();
    }

    private boolean makeRoom() {
        if (!sweeping.compareAndSet(false, true)) {
            return false;
        }
        try {
            Instant now = clock.instant();
            entries.values().removeIf(entry -> isExpired(entry, now));
            int excess = entries.size() - (maxEntries - maxEntries / 16);
            Iterator<TokenDigest> keys = entries.keySet().iterator();
            for (; excess > 0 && keys.hasNext(); excess--) {
                keys.next();
                keys.remove();
            }
            return true;
        } finally {
            sweeping.set(false);
        }
    }

    // No skew here: the validator already granted it once; a cached answer must not outlive the token.
    private static boolean isExpired(ValidatedAccessToken entry, Instant now) {
        return !now.isBefore(entry.expiresAt());
    }

    /** 256 bits as four longs: cheap equals and hashCode, no byte array to copy. */
    private record TokenDigest(long a, long b, long c, long d) {
        static TokenDigest of(String token) {
            ByteBuffer hash = ByteBuffer.wrap(sha256().digest(token.getBytes(StandardCharsets.UTF_8)));
            return new TokenDigest(hash.getLong(), hash.getLong(), hash.getLong(), hash.getLong());
        }

        private static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime has SHA-256", e);
            }
        }
    }
}
