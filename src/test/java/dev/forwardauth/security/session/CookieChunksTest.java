package dev.forwardauth.security.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CookieChunksTest {

    @Test
    void keepsAValueThatFitsInOneCookie() {
        String value = "v1." + "a".repeat(CookieChunks.MAX_CHUNK_LENGTH - 3);

        assertEquals(List.of(value), CookieChunks.split(value));
    }

    @Test
    void splitsALargeValueIntoCookiesUnderTheLimitAndJoinsItBack() {
        String value = "v1." + "abcdefghij".repeat(700);

        List<String> parts = CookieChunks.split(value);

        assertEquals(2, parts.size());
        assertTrue(parts.get(0).startsWith("c2.v1."));
        parts.forEach(part -> assertTrue(part.length() <= CookieChunks.MAX_CHUNK_LENGTH, "part of " + part.length()));
        assertEquals(Optional.of(value), CookieChunks.join(parts.get(0), i -> Optional.of(parts.get(i))));
    }

    @Test
    void ignoresStaleChunksBeyondTheAnnouncedCount() {
        String value = "v1." + "x".repeat(5000);
        List<String> parts = CookieChunks.split(value);

        Optional<String> joined = CookieChunks.join(parts.get(0), i -> i < parts.size() ? Optional.of(parts.get(i)) : Optional.of("stale"));

        assertEquals(Optional.of(value), joined);
    }

    @Test
    void givesNothingWhenAnAnnouncedChunkIsMissingOrTheCountIsBad() {
        assertTrue(CookieChunks.join("c2.v1.abc", i -> Optional.empty()).isEmpty());
        assertTrue(CookieChunks.join("c9.v1.abc", i -> Optional.of("x")).isEmpty());
        assertTrue(CookieChunks.join("c1.v1.abc", i -> Optional.of("x")).isEmpty());
        assertTrue(CookieChunks.join("cx.v1.abc", i -> Optional.of("x")).isEmpty());
        assertTrue(CookieChunks.join("c3.v1.abc", i -> Optional.of("y".repeat(5000))).isEmpty());
    }

    @Test
    void theLargestValueWeAcceptTakesThreeCookiesAndJoinsBack() {
        String value = "v1." + "x".repeat(SessionCrypto.MAX_SEALED_LENGTH - 3);

        List<String> parts = CookieChunks.split(value);

        assertEquals(3, parts.size());
        assertTrue(parts.get(0).startsWith("c3.v1."));
        parts.forEach(part -> assertTrue(part.length() <= CookieChunks.MAX_CHUNK_LENGTH, "part of " + part.length()));
        assertEquals(Optional.of(value), CookieChunks.join(parts.get(0), i -> Optional.of(parts.get(i))));
        assertTrue(CookieChunks.join(parts.get(0), i -> Optional.of(parts.get(i) + (i == 2 ? "x" : ""))).isEmpty(),
                "one character more than a sealed value may have");
    }

    @Test
    void aValueOfExactlyTwoPartsTakesTwoCookies() {
        int part = CookieChunks.MAX_CHUNK_LENGTH - 3;
        String value = "v1." + "y".repeat(2 * part - 3);

        List<String> parts = CookieChunks.split(value);

        assertEquals(2, parts.size());
        assertEquals(CookieChunks.MAX_CHUNK_LENGTH, parts.get(0).length());
        assertEquals(Optional.of(value), CookieChunks.join(parts.get(0), i -> Optional.of(parts.get(i))));
    }

    @Test
    void namesChunksAfterTheBaseName() {
        assertEquals("FORWARDAUTH", CookieChunks.chunkName("FORWARDAUTH", 0));
        assertEquals("FORWARDAUTH_2", CookieChunks.chunkName("FORWARDAUTH", 2));
    }
}
