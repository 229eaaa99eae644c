package dev.forwardauth.security.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The per-token cache: same answer without revalidating, gone at exp, bounded however it is fed. */
class CachingTokenValidatorTest {
    private final MutableClock clock = MutableClock.startingNow();
    private final Instant exp = clock.instant().plus(Duration.ofMinutes(5));
    private final AtomicInteger validations = new AtomicInteger();

    private final TokenValidator counting = token -> {
        validations.incrementAndGet();
        if (token.startsWith("bad")) {
            throw new InvalidAccessTokenException("access token expired");
        }
        return validated(exp);
    };

    @Test
    void sameTokenIsValidatedOnce() throws Exception {
        CachingTokenValidator cached = new CachingTokenValidator(counting, 100, clock);

        ValidatedAccessToken first = cached.validate("token-a");
        ValidatedAccessToken second = cached.validate("token-a");

        assertSame(first, second);
        assertEquals(1, validations.get());
        cached.validate("token-b");
        assertEquals(2, validations.get());
    }

    @Test
    void entryExpiresAtExp() throws Exception {
        CachingTokenValidator cached = new CachingTokenValidator(counting, 100, clock);
        cached.validate("token-a");

        clock.set(exp.minusMillis(1));
        cached.validate("token-a");
        assertEquals(1, validations.get());

        clock.set(exp);
        cached.validate("token-a");
        assertEquals(2, validations.get(), "at exp the token is validated again (and then refused by the validator)");
    }

    @Test
    void failuresAreNotCached() {
        CachingTokenValidator cached = new CachingTokenValidator(counting, 100, clock);
        assertThrows(InvalidAccessTokenException.class, () -> cached.validate("bad-token"));
        assertThrows(InvalidAccessTokenException.class, () -> cached.validate("bad-token"));
        assertEquals(2, validations.get());
    }

    @Test
    void missingTokenGoesToTheValidator() {
        CachingTokenValidator cached = new CachingTokenValidator(
                new AccessTokenValidator("https://i/", "https://a", (selector, context) -> List.of()), 100, clock);
        InvalidAccessTokenException e = assertThrows(InvalidAccessTokenException.class, () -> cached.validate(null));
        assertEquals("access token is missing", e.getMessage());
    }

    @Test
    void cacheStaysBoundedUnderAFloodOfValidTokens() {
        ValidatedTokenCache cache = new ValidatedTokenCache(64, clock);
        for (int i = 0; i < 10_000; i++) {
            cache.put("token-" + i, validated(exp));
            assertTrue(cache.size() <= 64, "size " + cache.size());
        }
        assertNotNull(cache.get("token-9999"), "the newest entry is kept");
    }

    @Test
    void expiredEntriesGoFirstWhenFull() {
        ValidatedTokenCache cache = new ValidatedTokenCache(16, clock);
        for (int i = 0; i < 15; i++) {
            cache.put("short-" + i, validated(clock.instant().plusSeconds(10)));
        }
        cache.put("long", validated(exp));
        clock.advance(Duration.ofSeconds(10));

        cache.put("new", validated(exp));

        assertEquals(2, cache.size());
        assertNotNull(cache.get("long"));
        assertNotNull(cache.get("new"));
    }

    @Test
    void alreadyExpiredResultsAreNotStored() {
        ValidatedTokenCache cache = new ValidatedTokenCache(16, clock);
        // A token within the validator's clock skew after exp passes validation but must not be cached.
        cache.put("late", validated(clock.instant().minusSeconds(1)));
        assertEquals(0, cache.size());
        assertNull(cache.get("late"));
    }

    private static ValidatedAccessToken validated(Instant expiresAt) {
        return new ValidatedAccessToken("user", expiresAt, null, List.of("https://a"), "read", null, null,
                Map.of("sub", "user"));
    }
}
