package dev.forwardauth.security.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DigestCacheTest {
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void aFullCacheDropsOneSixteenthToMakeRoomForTheNewEntry() {
        DigestCache<String> cache = new DigestCache<>(32, clock);
        for (int i = 0; i < 32; i++) {
            cache.put("credential-" + i, "value-" + i, NOW.plusSeconds(60));
        }
        assertEquals(32, cache.size());

        cache.put("newcomer", "new", NOW.plusSeconds(60));

        assertEquals(31, cache.size(), "down to 30, then the new entry");
        assertEquals("new", cache.get("newcomer"));
    }

    @Test
    void anEntryIsServedUntilItsExpiryOnly() {
        DigestCache<String> cache = new DigestCache<>(16, clock);
        cache.put("valid", "v", NOW.plusMillis(1));
        cache.put("expired", "x", NOW);
        assertEquals("v", cache.get("valid"));
        assertNull(cache.get("expired"));
        assertEquals(1, cache.size());
    }

    @Test
    void needsRoomForAtLeastSixteenEntries() {
        assertEquals("cache needs at least 16 entries",
                assertThrows(IllegalArgumentException.class, () -> new DigestCache<>(15, clock)).getMessage());
        assertEquals(0, new DigestCache<>(16, clock).size());
    }
}
