package dev.forwardauth.security.session;

import static dev.forwardauth.PropertyCheck.forAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The session cookie's sealing as properties: what we seal opens to exactly its bytes, and nothing else
 * opens at all: not one flipped bit, not under another cookie name, not across purposes (pending login and
 * session), not with another secret. SessionCookieFuzzTest and TamperedSessionFuzzTest fuzz the same.
 */
class SessionCryptoPropertiesTest {

    private static final String SECRET = SessionCookieTest.SECRET;
    private final SessionCrypto sessions = SessionCrypto.forSessions(SECRET, new SecureRandom());

    private record Sealed(String name, byte[] plaintext, int bit) {
    }

    private static Sealed sealed(Random random) {
        byte[] plaintext = new byte[random.nextInt(3000)];
        random.nextBytes(plaintext);
        String name = random.nextBoolean() ? "FORWARDAUTH" : "FORWARDAUTH_LOGIN_" + Integer.toHexString(random.nextInt());
        return new Sealed(name, plaintext, random.nextInt(Integer.MAX_VALUE));
    }

    @Test
    void whatIsSealedOpensToExactlyItsBytes() {
        forAll(SessionCryptoPropertiesTest::sealed, s ->
                assertArrayEquals(s.plaintext(), sessions.open(s.name(), sessions.seal(s.name(), s.plaintext())).orElseThrow()));
    }

    @Test
    void anyOneFlippedBitIsNoSession() {
        forAll(SessionCryptoPropertiesTest::sealed, s -> {
            byte[] bytes = Base64.getUrlDecoder().decode(sessions.seal(s.name(), s.plaintext()).substring(3));
            int bit = s.bit() % (bytes.length * 8);
            bytes[bit / 8] ^= (byte) (1 << bit % 8);
            String altered = "v1." + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            assertTrue(sessions.open(s.name(), altered).isEmpty(), "bit " + bit);
        });
    }

    @Test
    void aValueOpensUnderNoOtherNameNoOtherPurposeAndNoOtherSecret() {
        SessionCrypto logins = SessionCrypto.forPendingLogins(SECRET, new SecureRandom());
        SessionCrypto otherSecret = SessionCrypto.forSessions(SECRET + "-rotated", new SecureRandom());
        forAll(SessionCryptoPropertiesTest::sealed, s -> {
            String value = sessions.seal(s.name(), s.plaintext());
            assertTrue(sessions.open(s.name() + "_1", value).isEmpty());
            assertTrue(logins.open(s.name(), value).isEmpty());
            assertTrue(otherSecret.open(s.name(), value).isEmpty());
        });
    }

    private static String text(Random random) {
        int length = random.nextInt(40);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            // Mostly token characters, some of anything (surrogate halves become "?" in UTF-8, so leave them out).
            char c = random.nextInt(4) == 0 ? (char) random.nextInt(0xD800) : (char) ('!' + random.nextInt(94));
            out.append(c);
        }
        return out.toString();
    }

    private static SessionData session(Random random) {
        Instant login = Instant.ofEpochMilli(random.nextLong() >> 20);
        return new SessionData(text(random), text(random), random.nextBoolean() ? text(random) : null, text(random),
                random.nextBoolean() ? null : login.plusMillis(random.nextInt()), random.nextInt(),
                random.nextBoolean() ? text(random) : null, login, login.plusSeconds(random.nextInt(86400)));
    }

    @Test
    void aSessionWritesAndReadsBackUnchanged() {
        forAll(SessionCryptoPropertiesTest::session, data -> {
            assertEquals(Optional.of(data), SessionData.fromBytes(data.toBytes()));
            assertEquals(Optional.of(data), sessions.open("FORWARDAUTH", sessions.seal("FORWARDAUTH", data.toBytes()))
                    .flatMap(SessionData::fromBytes));
        });
    }
}
