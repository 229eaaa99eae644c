package dev.forwardauth.security.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

class PayloadTest {

    private static final Instant LOGIN = Instant.parse("2026-11-26T10:00:00.123Z");

    @Test
    void sessionDataSurvivesTheRoundTripIncludingAbsentValues() {
        SessionData data = new SessionData("app-client", "auth0|123", "id.token.x", "access.token.y",
                Instant.parse("2026-11-26T11:00:00.456Z"), 5, null, LOGIN, LOGIN.plusSeconds(43200));
        SessionData noExpiry = new SessionData("c", "p", null, null, null, -1, "refresh", LOGIN, LOGIN.plusSeconds(1));

        assertEquals(data, SessionData.fromBytes(data.toBytes()).orElseThrow());
        assertEquals(noExpiry, SessionData.fromBytes(noExpiry.toBytes()).orElseThrow());
    }

    @Test
    void pendingLoginDataSurvivesTheRoundTrip() {
        PendingLoginData data = new PendingLoginData("client", "app.example.com", "state-1", "nonce-1",
                "verifier-verifier-verifier-verifier-verifier-1", "https://app.example.com/x?y=1", LOGIN, LOGIN.plusSeconds(300));

        assertEquals(data, PendingLoginData.fromBytes(data.toBytes()).orElseThrow());
    }

    @Test
    void deflatesRepetitiveContentAndNeverGrowsIncompressibleContent() {
        String token = "eyJhbGciOiJSUzI1NiJ9.".repeat(60);
        byte[] large = new Payload.Writer(LOGIN, LOGIN).string(token).string(token).toBytes();
        String random = java.util.UUID.randomUUID().toString() + java.util.UUID.randomUUID();
        byte[] small = new Payload.Writer(LOGIN, LOGIN).string(random).toBytes();

        assertEquals(1, large[0]);
        assertTrue(large.length < token.length() / 4, "deflated to " + large.length);
        assertTrue(small.length <= 1 + 8 + 8 + 4 + random.length(), "at most one format byte more than raw");
    }

    @Test
    void rejectsUnknownFormatTruncatedAndTrailingBytes() {
        byte[] bytes = new SessionData("c", "p", "i", "a", null, 0, null, LOGIN, LOGIN).toBytes();
        byte[] unknownFormat = bytes.clone();
        unknownFormat[0] = 7;
        byte[] trailing = Arrays.copyOf(bytes, bytes.length + 1);

        assertTrue(SessionData.fromBytes(unknownFormat).isEmpty());
        assertTrue(SessionData.fromBytes(trailing).isEmpty());
        assertTrue(SessionData.fromBytes(new byte[0]).isEmpty());
        for (int length = 1; length < bytes.length; length++) {
            assertTrue(SessionData.fromBytes(Arrays.copyOf(bytes, length)).isEmpty(), "cut to " + length);
        }
    }

    @Test
    void emptyStringsSurviveTheRoundTrip() {
        SessionData empty = new SessionData("", "", "", "", null, 0, "", LOGIN, LOGIN.plusSeconds(1));
        assertEquals(empty, SessionData.fromBytes(empty.toBytes()).orElseThrow());
    }

    @Test
    void aRawPayloadWithBytesLeftOverIsNotFullyRead() throws Exception {
        java.util.Random random = new java.util.Random(7);
        Payload.Writer writer = new Payload.Writer(LOGIN, LOGIN);
        for (int i = 0; i < 8; i++) {
            writer.longValue(random.nextLong());
        }
        byte[] bytes = writer.toBytes();
        assertEquals(0, bytes[0], "random longs do not deflate: stored raw");

        Payload.Reader exact = Payload.Reader.of(bytes).orElseThrow();
        Payload.Reader longer = Payload.Reader.of(Arrays.copyOf(bytes, bytes.length + 1)).orElseThrow();
        for (int i = 0; i < 8; i++) {
            exact.longValue();
            longer.longValue();
        }
        assertTrue(exact.fullyRead());
        assertTrue(!longer.fullyRead());
    }

    @Test
    void inflatesToAtMost32KiB() throws Exception {
        // Two longs and the string's length take 20 bytes.
        String largest = "a".repeat(Payload.MAX_BODY_LENGTH - 20);
        byte[] atLimit = new Payload.Writer(LOGIN, LOGIN).string(largest).toBytes();
        assertEquals(1, atLimit[0]);
        assertEquals(largest, Payload.Reader.of(atLimit).orElseThrow().string());
        assertTrue(Payload.Reader.of(new Payload.Writer(LOGIN, LOGIN).string(largest + "a").toBytes()).isEmpty());
    }

    @Test
    void refusesToInflateWithoutBound() {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(new byte[10 * 1024 * 1024]);
        deflater.finish();
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        bomb.write(1);
        byte[] buffer = new byte[4096];
        while (!deflater.finished()) {
            bomb.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();

        assertTrue(Payload.Reader.of(bomb.toByteArray()).isEmpty());
    }

    @Test
    void neverPrintsTokensOrLoginSecrets() {
        SessionData session = new SessionData("c", "p", "ID-TOKEN", "ACCESS-TOKEN", null, 0, "REFRESH-TOKEN", LOGIN, LOGIN);
        PendingLoginData login = new PendingLoginData("c", "a", "STATE", "NONCE", "VERIFIER", "URL", LOGIN, LOGIN);

        for (String secret : new String[] {"ID-TOKEN", "ACCESS-TOKEN", "REFRESH-TOKEN"}) {
            assertTrue(!session.toString().contains(secret), secret);
        }
        for (String secret : new String[] {"NONCE", "VERIFIER"}) {
            assertTrue(!login.toString().contains(secret), secret);
        }
        assertTrue(!SessionSettings.of("s".repeat(40), 1, 1).toString().contains("ssss"));
    }
}
