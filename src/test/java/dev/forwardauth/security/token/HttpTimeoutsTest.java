package dev.forwardauth.security.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A timeout of zero means "wait forever" to HttpURLConnection: every IdP call has at least 1 ms. */
class HttpTimeoutsTest {

    @Test
    void oneMillisecondIsTheShortestTimeout() {
        HttpTimeouts shortest = new HttpTimeouts(Duration.ofMillis(1), Duration.ofMillis(1));
        assertEquals(Duration.ofMillis(1), shortest.connect());
        assertEquals(Duration.ofMillis(1), shortest.read());
    }

    @Test
    void zeroNegativeOrSubMillisecondTimeoutsAreRefused() {
        assertEquals("connect timeout must be at least 1 ms", assertThrows(IllegalArgumentException.class,
                () -> new HttpTimeouts(Duration.ZERO, Duration.ofSeconds(1))).getMessage());
        assertEquals("read timeout must be at least 1 ms", assertThrows(IllegalArgumentException.class,
                () -> new HttpTimeouts(Duration.ofSeconds(1), Duration.ofNanos(999_999))).getMessage());
        assertEquals("connect timeout must be at least 1 ms", assertThrows(IllegalArgumentException.class,
                () -> new HttpTimeouts(Duration.ofMillis(-5), Duration.ofSeconds(1))).getMessage());
        assertThrows(NullPointerException.class, () -> new HttpTimeouts(null, Duration.ofSeconds(1)));
    }
}
