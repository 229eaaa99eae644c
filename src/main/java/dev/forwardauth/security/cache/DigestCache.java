package dev.forwardauth.security.cache;

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
 * Values computed from a credential (a token, a session cookie), by SHA-256 of the credential, each until its
 * own expiry. The credential itself is never kept, so a heap dump of the cache yields none, and a key can only
 * be hit by the very same credential. Bounded: when full, one thread at a time drops the expired entries and
 * then arbitrary ones (hash order) down to 15/16 of the capacity, so a flood of distinct credentials costs an
 * O(n) sweep only every n/16 insertions; while that runs, others skip caching instead of growing the map.
 *
 * @param <V> what is cached; must be safe to share between request threads
 */
public final class DigestCache<V> {
    private final Map<Digest, Entry<V>> entries = new ConcurrentHashMap<>();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private final int maxEntries;
    private final Clock clock;

    public DigestCache(int maxEntries, Clock clock) {
        if (maxEntries < 16) {
            throw new IllegalArgumentException("cache needs at least 16 entries");
        }
        this.maxEntries = maxEntries;
        this.clock = Objects.requireNonNull(clock);
    }

    private record Entry<V>(V value, Instant expiresAt) {
        boolean isExpiredAt(Instant now) {
            return !now.isBefore(expiresAt);
        }
    }

    /** The value cached for {@code credential}, or null when there is none or it has expired. */
    public V get(String credential) {
        Digest key = Digest.of(credential);
        Entry<V> hit = entries.get(key);
        if (hit == null) {
            return null;
        }
        if (hit.isExpiredAt(clock.instant())) {
            entries.remove(key, hit);
            return null;
        }
        return hit.value();
    }

    /** Keeps {@code value} until {@code expiresAt} (not at all if that has passed), room permitting. */
    public void put(String credential, V value, Instant expiresAt) {
        Entry<V> entry = new Entry<>(Objects.requireNonNull(value), expiresAt);
        if (entry.isExpiredAt(clock.instant())) {
            return;
        }
        if (entries.size() >= maxEntries && !makeRoom()) {
            return;
        }
        entries.put(Digest.of(credential), entry);
    }

    public int size() {
        return entries.size();
    }

    private boolean makeRoom() {
        if (!sweeping.compareAndSet(false, true)) {
            return false;
        }
        try {
            Instant now = clock.instant();
            entries.values().removeIf(entry -> entry.isExpiredAt(now));
            int excess = entries.size() - (maxEntries - maxEntries / 16);
            Iterator<Digest> keys = entries.keySet().iterator();
            for (; excess > 0 && keys.hasNext(); excess--) {
                keys.next();
                keys.remove();
            }
            return true;
        } finally {
            sweeping.set(false);
        }
    }

    /** 256 bits as four longs: cheap equals and hashCode, no byte array to copy. */
    private record Digest(long a, long b, long c, long d) {
        // A MessageDigest is not thread-safe. A clone of an unused prototype is a fresh one, and costs an array
        // copy instead of getInstance's provider lookup, which showed in profiles of every request.
        private static final MessageDigest PROTOTYPE = sha256();

        static Digest of(String credential) {
            ByteBuffer hash = ByteBuffer.wrap(fresh().digest(credential.getBytes(StandardCharsets.UTF_8)));
            return new Digest(hash.getLong(), hash.getLong(), hash.getLong(), hash.getLong());
        }

        private static MessageDigest fresh() {
            try {
                return (MessageDigest) PROTOTYPE.clone();
            } catch (CloneNotSupportedException e) {
                return sha256();
            }
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
