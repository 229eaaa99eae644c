package dev.forwardauth.security.session;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The states whose callback this process has taken, so that a login's state makes at most one session. The
 * pending-login cookie is deleted by the callback, but only in the browser that sent it: with a copy kept from
 * before, and a second code the IdP issued for the same state (it issues one each time the browser passes its
 * authorize URL), the callback would otherwise work twice. Used on {@code /signin} only, never on
 * {@code /authorize}.
 *
 * <p>Per process, so per replica: replicas share no state, and a copy sent to another replica is not caught
 * here. That is acceptable because this record is the last of several locks: the pending-login cookie is
 * sealed and bound to the browser that started the login, each code works once at the IdP, and PKCE ties the
 * code to the verifier in that cookie. Replaying takes the cookie, which only the user's browser had.
 *
 * <p>A state is kept until its login expires ({@code nonce-max-age} after it started; later the lookup says
 * "expired" anyway), and at most {@link #CAPACITY} are kept (about 100 bytes each: a 128-bit hash of the
 * state, never the state, and the expiry). Expired ones are dropped from the oldest used on; since logins take
 * different times, one may linger behind a younger one, never longer than {@code nonce-max-age}. At the cap the
 * oldest used is forgotten, and so that forgetting never lets it work twice, every login that expires no later
 * than it is refused from then on as "cannot tell": fail closed, for the oldest logins still under way, and
 * only while more than {@link #CAPACITY} logins finish within one {@code nonce-max-age}.
 */
public final class UsedStates {

    /** What using a state found. */
    public enum Use {
        /** Not used before: go on. */
        FIRST,
        /** Used before in this process: refuse. */
        AGAIN,
        /** As old as a state forgotten at the cap: whether it was used cannot be told, so refuse. */
        UNTOLD
    }

    /** With the default nonce-max-age of 300 s, 166 logins a second before the oldest fail closed. */
    public static final int CAPACITY = 50_000;

    private final Clock clock;
    private final int capacity;
    // Insertion order is the order of use: the head is the oldest used.
    private final LinkedHashMap<Key, Instant> expiryByState = new LinkedHashMap<>();
    private Instant forgottenUpTo = Instant.MIN;

    public UsedStates(Clock clock) {
        this(clock, CAPACITY);
    }

    UsedStates(Clock clock, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.clock = clock;
        this.capacity = capacity;
    }

    /** Marks {@code state}, whose login is valid until {@code expiresAt}, as used; says whether it was the first use. */
    public synchronized Use use(String state, Instant expiresAt) {
        dropExpired(clock.instant());
        Key key = Key.of(state);
        if (expiryByState.containsKey(key)) {
            return Use.AGAIN;
        }
        if (!expiresAt.isAfter(forgottenUpTo)) {
            return Use.UNTOLD;
        }
        if (expiryByState.size() >= capacity) {
            Iterator<Map.Entry<Key, Instant>> oldest = expiryByState.entrySet().iterator();
            Instant forgotten = oldest.next().getValue();
            oldest.remove();
            if (forgotten.isAfter(forgottenUpTo)) {
                forgottenUpTo = forgotten;
            }
        }
        expiryByState.put(key, expiresAt);
        return Use.FIRST;
    }

    synchronized int size() {
        return expiryByState.size();
    }

    private void dropExpired(Instant now) {
        Iterator<Instant> expiries = expiryByState.values().iterator();
        while (expiries.hasNext()) {
            if (expiries.next().isAfter(now)) {
                return;
            }
            expiries.remove();
        }
    }

    /** 128 bits of SHA-256(state): a fixed size whatever the state's length, and no state kept in memory. */
    private record Key(long high, long low) {
        static Key of(String state) {
            try {
                ByteBuffer hash = ByteBuffer.wrap(MessageDigest.getInstance("SHA-256")
                        .digest(state.getBytes(StandardCharsets.UTF_8)));
                return new Key(hash.getLong(), hash.getLong());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 unavailable", e);
            }
        }
    }
}
