package dev.forwardauth.security.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SessionCryptoTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef-test";
    private static final String NAME = "FORWARDAUTH";
    private static final byte[] PLAINTEXT = "a session worth protecting".getBytes(StandardCharsets.UTF_8);

    private final SessionCrypto crypto = SessionCrypto.forSessions(SECRET, new SecureRandom());

    @Test
    void opensWhatItSealed() {
        String sealed = crypto.seal(NAME, PLAINTEXT);

        assertTrue(sealed.startsWith("v1."));
        assertTrue(sealed.substring(3).matches("[A-Za-z0-9_-]+"), "base64url without padding");
        assertArrayEquals(PLAINTEXT, crypto.open(NAME, sealed).orElseThrow());
    }

    @Test
    void sealsTheSameValueDifferentlyEachTime() {
        assertNotEquals(crypto.seal(NAME, PLAINTEXT), crypto.seal(NAME, PLAINTEXT));
    }

    @Test
    void rejectsAnyAlteredByteOfNonceCiphertextOrTag() {
        byte[] sealed = Base64.getUrlDecoder().decode(crypto.seal(NAME, PLAINTEXT).substring(3));
        for (int i = 0; i < sealed.length; i++) {
            byte[] altered = sealed.clone();
            altered[i] ^= 0x01;
            String value = "v1." + Base64.getUrlEncoder().withoutPadding().encodeToString(altered);
            assertTrue(crypto.open(NAME, value).isEmpty(), "byte " + i + " altered");
        }
    }

    @Test
    void rejectsEveryTruncation() {
        String sealed = crypto.seal(NAME, PLAINTEXT);
        for (int length = 0; length < sealed.length(); length++) {
            assertTrue(crypto.open(NAME, sealed.substring(0, length)).isEmpty(), "cut to " + length);
        }
    }

    @Test
    void rejectsGarbageWithoutThrowing() {
        Random random = new Random(42);
        for (int i = 0; i < 1000; i++) {
            byte[] bytes = new byte[random.nextInt(200)];
            random.nextBytes(bytes);
            assertTrue(crypto.open(NAME, "v1." + new String(bytes, StandardCharsets.ISO_8859_1)).isEmpty());
            assertTrue(crypto.open(NAME, "v1." + Base64.getUrlEncoder().encodeToString(bytes)).isEmpty());
        }
        for (String garbage : new String[] {null, "", "v1.", "v1.=", "v1.!!!!", "deleted", "v1.AAAA", "%00"}) {
            assertTrue(crypto.open(NAME, garbage).isEmpty(), String.valueOf(garbage));
        }
    }

    @Test
    void rejectsAValueOver8KbBeforeDecodingIt() {
        String oversized = "v1." + "A".repeat(SessionCrypto.MAX_SEALED_LENGTH);

        assertTrue(crypto.open(NAME, oversized).isEmpty());
    }

    @Test
    void refusesToSealAValueThatWouldBeOver8Kb() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> crypto.seal(NAME, new byte[7000]));

        assertTrue(error.getMessage().startsWith("sealed cookie value too large"), error.getMessage());
    }

    @Test
    void rejectsAValueSealedWithAnotherSecret() {
        SessionCrypto other = SessionCrypto.forSessions("another secret of at least 32 characters", new SecureRandom());

        assertTrue(crypto.open(NAME, other.seal(NAME, PLAINTEXT)).isEmpty());
    }

    @Test
    void rejectsAValueMovedToAnotherCookieName() {
        assertTrue(crypto.open("FORWARDAUTH_1", crypto.seal(NAME, PLAINTEXT)).isEmpty());
    }

    @Test
    void rejectsAPendingLoginValueAsASessionEvenUnderTheSameName() {
        SessionCrypto pending = SessionCrypto.forPendingLogins(SECRET, new SecureRandom());

        assertTrue(crypto.open(NAME, pending.seal(NAME, PLAINTEXT)).isEmpty());
        assertTrue(pending.open(NAME, crypto.seal(NAME, PLAINTEXT)).isEmpty());
    }

    @Test
    void rejectsAnotherVersionPrefix() {
        String sealed = crypto.seal(NAME, PLAINTEXT);

        assertTrue(crypto.open(NAME, "v2." + sealed.substring(3)).isEmpty());
        assertTrue(crypto.open(NAME, sealed.substring(3)).isEmpty());
    }

    @Test
    void staysCorrectUnderConcurrentUse() throws InterruptedException {
        Thread[] threads = new Thread[8];
        boolean[] failed = new boolean[1];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 2000; i++) {
                    byte[] plaintext = ("value " + i).getBytes(StandardCharsets.UTF_8);
                    if (!java.util.Arrays.equals(plaintext, crypto.open(NAME, crypto.seal(NAME, plaintext)).orElse(null))) {
                        failed[0] = true;
                    }
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(false, failed[0]);
    }
}
