package dev.forwardauth.security.token;

import static dev.forwardauth.security.token.TestTokens.AUDIENCE;
import static dev.forwardauth.security.token.TestTokens.ISSUER;
import static dev.forwardauth.security.token.TestTokens.sign;
import static dev.forwardauth.security.token.TestTokens.validClaims;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Key caching, the unknown-kid refetch limit, rotation and outages, counted at a local JWKS endpoint. */
class JwksKeySourceTest {
    private static final RSAKey CURRENT = TestTokens.rsaKey("current");
    private static final RSAKey NEXT = TestTokens.rsaKey("next");
    private static final RSAKey FORGER = TestTokens.rsaKey("forger");
    private static final Duration INTERVAL = Duration.ofSeconds(30);
    // Short only where a timeout is the point: a busy CI machine may take a second to answer the first request.
    private static final HttpTimeouts SHORT = new HttpTimeouts(Duration.ofMillis(500), Duration.ofMillis(300));

    // A request that waited for this IdP would wait half a minute: long enough to tell from one that does not.
    private static final HttpTimeouts PATIENT = new HttpTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30));

    private final MutableClock clock = MutableClock.startingNow();
    private final IdpCalls calls = new IdpCalls(HttpTimeouts.DEFAULT, 32);
    private JwksServer jwks;
    private JwksKeySource keys;
    private AccessTokenValidator validator;

    @BeforeEach
    void start() throws IOException {
        jwks = new JwksServer();
        jwks.publish(CURRENT);
        keys = JwksKeySource.remote(jwks.uri(), calls, INTERVAL, clock);
        validator = new AccessTokenValidator(ISSUER, AUDIENCE, keys, Duration.ofSeconds(60), clock);
    }

    @AfterEach
    void stop() {
        keys.close();
        jwks.close();
        calls.close();
    }

    @Test
    void keysAreFetchedOnceAndCached() throws Exception {
        for (int i = 0; i < 20; i++) {
            validator.validate(token(CURRENT));
        }
        assertEquals(1, jwks.requests());
    }

    @Test
    void unknownKidRefetchesAtMostOncePerInterval() throws Exception {
        validator.validate(token(CURRENT));
        assertEquals(1, jwks.requests());

        assertUnknownKey(token(forged("forged-1")));
        assertEquals(2, jwks.requests(), "the first unknown kid may mean a rotation: one refetch");

        assertUnknownKey(token(forged("forged-2")));
        assertUnknownKey(token(forged("forged-1")));
        clock.advance(INTERVAL.minusSeconds(1));
        assertUnknownKey(token(forged("forged-3")));
        assertEquals(2, jwks.requests(), "further unknown kids within the interval must not reach the IdP");

        clock.advance(Duration.ofSeconds(1));
        assertUnknownKey(token(forged("forged-4")));
        assertEquals(3, jwks.requests(), "a new interval allows one more refetch");
        validator.validate(token(CURRENT));
        assertEquals(3, jwks.requests());
    }

    @Test
    void concurrentUnknownKidsShareOneRefetch() throws Exception {
        validator.validate(token(CURRENT));
        List<String> forgeries = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            forgeries.add(token(forged("forged-" + i)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> results = new ArrayList<>();
            for (String forgery : forgeries) {
                results.add(pool.submit(() -> {
                    go.await();
                    return assertThrows(InvalidAccessTokenException.class, () -> validator.validate(forgery))
                            .getMessage();
                }));
            }
            go.countDown();
            for (Future<String> result : results) {
                assertEquals("access token signed with unknown key", result.get(10, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, jwks.requests());
    }

    @Test
    void rotatedKeyIsAcceptedAfterOneRefetch() throws Exception {
        validator.validate(token(CURRENT));
        jwks.publish(CURRENT, NEXT);

        validator.validate(token(NEXT));
        validator.validate(token(NEXT));
        validator.validate(token(CURRENT));
        assertEquals(2, jwks.requests());
    }

    @Test
    void cachedKeysKeepWorkingWhileTheIdpIsDown() throws Exception {
        String token = token(CURRENT);
        validator.validate(token);
        jwks.close();

        validator.validate(token);
        // Past the cache's time to live the refresh fails; the last good keys stay in use (outage tolerance).
        clock.advance(JwksKeySource.CACHE_TTL.plusMinutes(1));
        validator.validate(token);
        clock.advance(Duration.ofHours(1));
        validator.validate(token);
    }

    @Test
    void unknownKidWhileTheIdpIsDownIsAnUnknownKey() throws Exception {
        validator.validate(token(CURRENT));
        jwks.close();
        // We hold the IdP's keys and this token matches none of them: a 401, not a 503 that blames the IdP.
        assertUnknownKey(token(forged("forged-1")));
        validator.validate(token(CURRENT));
    }

    @Test
    void noKeysAndNoIdpIsUnavailableNotInvalid() throws IOException {
        jwks.close();
        long started = System.nanoTime();
        IdpUnavailableException e =
                assertThrows(IdpUnavailableException.class, () -> validator.validate(token(CURRENT)));
        assertTrue(e.getMessage().startsWith(
                "identity provider unavailable: cannot fetch signing keys from " + jwks.uri() + ": "), e.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 2000);
    }

    @Test
    void slowJwksEndpointFailsWithinTheReadTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                IdpCalls shortCalls = new IdpCalls(SHORT, 4);
                JwksKeySource slowKeys = JwksKeySource.remote(
                        URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/jwks"), shortCalls, INTERVAL, clock)) {
            AccessTokenValidator slow = new AccessTokenValidator(ISSUER, AUDIENCE, slowKeys);
            long started = System.nanoTime();
            IdpUnavailableException e =
                    assertThrows(IdpUnavailableException.class, () -> slow.validate(token(CURRENT)));
            long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            assertTrue(e.getMessage().endsWith("SocketTimeoutException: Read timed out"), e.getMessage());
            assertTrue(millis >= 250 && millis < 2000, "took " + millis + " ms");
        }
    }

    @Test
    void refetchIntervalMustBePositive() throws IOException {
        assertThrows(IllegalArgumentException.class,
                () -> JwksKeySource.remote(jwks.uri(), calls, Duration.ZERO, clock));
        JwksKeySource.remote(jwks.uri(), calls, Duration.ofMillis(1), clock).close();
    }

    @Test
    void staleKeysKeepValidatingWhileTheirRefreshHangs() throws Exception {
        try (IdpCalls patient = new IdpCalls(PATIENT, 32);
                JwksKeySource patientKeys = JwksKeySource.remote(jwks.uri(), patient, INTERVAL, clock)) {
            AccessTokenValidator tokens = new AccessTokenValidator(ISSUER, AUDIENCE, patientKeys,
                    Duration.ofSeconds(60), clock);
            // Distinct tokens: the validator's result cache must not hide a wait for the keys.
            List<String> issued = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                issued.add(token(CURRENT));
                clock.advance(Duration.ofMillis(1));
            }
            tokens.validate(issued.get(0));
            awaitCondition(() -> !patientKeys.fetching(), "the first fetch is done");
            jwks.hang();
            clock.advance(JwksKeySource.CACHE_TTL.plusSeconds(1));

            // Were these waiting for the hanging refresh, they would take half a minute each.
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                for (String token : issued) {
                    tokens.validate(token);
                }
            });
            awaitCondition(() -> jwks.requests() == 2, "one refresh in the background");
            assertEquals(0, patient.inUse(), "no request thread waits for it");
            jwks.release();
            awaitCondition(() -> jwks.answered() == 2, "the refresh is answered");
            tokens.validate(token(CURRENT));
            assertEquals(2, jwks.requests());
        }
    }

    @Test
    void requestsWithoutKeysShareOneFetch() throws Exception {
        jwks.hang();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<ValidatedAccessToken>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String token = token(CURRENT);
                clock.advance(Duration.ofMillis(1));
                results.add(pool.submit(() -> validator.validate(token)));
            }
            // All sixteen wait, each holding a place in the bulkhead, for the one fetch.
            awaitCondition(() -> calls.inUse() == 16, "16 requests waiting");
            assertEquals(1, jwks.requests());
            jwks.release();
            for (Future<ValidatedAccessToken> result : results) {
                assertEquals("auth0|user-1", result.get(10, TimeUnit.SECONDS).subject());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, jwks.requests());
        assertEquals(0, calls.inUse());
    }

    @Test
    void aFullBulkheadRefusesAtOnceInsteadOfQueuing() throws Exception {
        jwks.hang();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (IdpCalls two = new IdpCalls(PATIENT, 2);
                JwksKeySource twoKeys = JwksKeySource.remote(jwks.uri(), two, INTERVAL, clock)) {
            AccessTokenValidator tokens = new AccessTokenValidator(ISSUER, AUDIENCE, twoKeys,
                    Duration.ofSeconds(60), clock);
            List<Future<ValidatedAccessToken>> waiting = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                String token = token(CURRENT);
                clock.advance(Duration.ofMillis(1));
                waiting.add(pool.submit(() -> tokens.validate(token)));
            }
            awaitCondition(() -> two.inUse() == 2, "two requests waiting");

            IdpUnavailableException refused = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> assertThrows(IdpUnavailableException.class, () -> tokens.validate(token(CURRENT))));

            assertTrue(refused.getMessage().startsWith("identity provider unavailable: 2 requests are already"
                    + " waiting for it"), refused.getMessage());
            jwks.release();
            for (Future<ValidatedAccessToken> result : waiting) {
                result.get(10, TimeUnit.SECONDS);
            }
            assertEquals(1, jwks.requests());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedRefreshIsRetriedAfterAPauseNotByEveryRequest() throws Exception {
        String token = token(CURRENT);
        validator.validate(token);
        awaitCondition(() -> !keys.fetching(), "the first fetch is done");
        jwks.failing(true);
        clock.advance(JwksKeySource.CACHE_TTL.plusSeconds(1));

        validator.validate(token(CURRENT));
        awaitCondition(() -> jwks.answered() == 2, "the background refresh failed");
        // The failed refresh stays "in flight" for a moment after the IdP's answer, until it has recorded the
        // failure: a request then joins it instead of starting the retry, and the retry below never came.
        awaitCondition(() -> !keys.fetching(), "the failed refresh is done");
        // Requests within the pause (which runs from the failure, at the clock's present time) ask nothing. The
        // loop once went 5 s into a 5 s pause: its last request made the retry already, and the one after
        // the pause sometimes a fourth request, so the count below raced.
        Duration step = Duration.ofSeconds(1);
        int withinThePause = (int) (JwksKeySource.RETRY_AFTER_FAILURE.toSeconds() - 1);
        for (int i = 0; i < withinThePause; i++) {
            clock.advance(step);
            validator.validate(token(CURRENT));
        }
        assertEquals(2, jwks.requests(), "no request during the pause");
        clock.advance(step);
        validator.validate(token(CURRENT));
        awaitCondition(() -> jwks.answered() == 3, "the retry");
        awaitCondition(() -> !keys.fetching(), "the retry is done");

        assertEquals(3, jwks.requests(), "one refresh, then one retry after the pause");
    }

    private static void awaitCondition(java.util.function.BooleanSupplier condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(10);
        }
    }

    private static RSAKey forged(String kid) {
        return TestTokens.withKid(FORGER, kid);
    }

    private String token(RSAKey key) {
        return sign(key, validClaims(clock.instant()).expirationTime(Date.from(clock.instant().plusSeconds(86400)))
                .build());
    }

    private void assertUnknownKey(String token) {
        InvalidAccessTokenException e =
                assertThrows(InvalidAccessTokenException.class, () -> validator.validate(token));
        assertEquals("access token signed with unknown key", e.getMessage());
    }
}
