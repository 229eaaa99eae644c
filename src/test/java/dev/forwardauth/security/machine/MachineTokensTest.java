package dev.forwardauth.security.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forwardauth.security.token.MutableClock;
import dev.forwardauth.security.token.IdpUnavailableException;
import dev.forwardauth.security.token.InvalidAccessTokenException;
import dev.forwardauth.security.token.TokenValidator;
import dev.forwardauth.security.token.ValidatedAccessToken;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The machine-client token cache, off any network and with a hand-moved clock: reuse until shortly before
 * expiry, refusals remembered for a short interval, bounded, one exchange per pair at a time. The exchange and
 * the validator stand in for the IdP; the ITs run the same cache against the real mock server.
 */
class MachineTokensTest {
    private static final ClientCredentials BOT = new ClientCredentials("ci-bot", "right-secret");
    private static final Duration HOUR = Duration.ofHours(1);

    private final MutableClock clock = MutableClock.startingNow();
    private final AtomicInteger exchanges = new AtomicInteger();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    /** Tokens live this long by their exp claim ... */
    private Duration exp = HOUR;
    /** ... and by expires_in (null: not sent). */
    private Duration expiresIn = HOUR;
    /** Client id:secret pairs the IdP knows. */
    private final List<String> registered = new ArrayList<>(List.of("ci-bot:right-secret"));
    private volatile CountDownLatch exchangeEntered = new CountDownLatch(0);
    private volatile CountDownLatch releaseExchange = new CountDownLatch(0);
    private volatile boolean idpDown;

    private final TokenExchange exchange = credentials -> {
        int n = exchanges.incrementAndGet();
        exchangeEntered.countDown();
        try {
            releaseExchange.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (idpDown) {
            throw new IdpUnavailableException("identity provider unavailable: connection refused", null);
        }
        if (!registered.contains(credentials.clientId() + ":" + credentials.secret())) {
            throw new CredentialsRefusedException("refused " + credentials.clientId() + " (HTTP 401, invalid_client)");
        }
        return new IssuedToken("token-" + n + "-" + credentials.clientId(), expiresIn);
    };

    private final TokenValidator validator = token -> {
        if (token.contains("other-api")) {
            throw new InvalidAccessTokenException("aud does not contain https://api.example.com");
        }
        return new ValidatedAccessToken("machine@clients", clock.instant().plus(exp), clock.instant(),
                List.of("https://api.example.com"), "read:packages", null, null, Map.of("sub", "machine@clients"));
    };

    @AfterEach
    void stopThreads() {
        releaseExchange.countDown();
        threads.shutdownNow();
    }

    private MachineTokens tokens() {
        return tokens(new MachineTokens.Limits(100, 100, Duration.ofSeconds(30), 8, Duration.ofSeconds(10)));
    }

    private MachineTokens tokens(MachineTokens.Limits limits) {
        return new MachineTokens(exchange, validator, limits, clock);
    }

    @Test
    void samePairIsExchangedOnceAndReusedUntil30sBeforeItExpires() throws Exception {
        MachineTokens tokens = tokens();
        Instant expiry = clock.instant().plus(HOUR);

        MachineToken first = tokens.tokenFor(BOT);
        clock.set(expiry.minusSeconds(31));
        MachineToken later = tokens.tokenFor(BOT);

        assertSame(first, later);
        assertEquals(1, exchanges.get());
        clock.set(expiry.minusSeconds(30));
        MachineToken renewed = tokens.tokenFor(BOT);
        assertEquals(2, exchanges.get());
        assertTrue(renewed.raw().startsWith("token-2"), renewed.raw());
    }

    @Test
    void theEarlierOfExpAndExpiresInCounts() throws Exception {
        expiresIn = Duration.ofMinutes(10);
        MachineTokens tokens = tokens();
        Instant start = clock.instant();

        tokens.tokenFor(BOT);
        clock.set(start.plus(Duration.ofMinutes(10)).minusSeconds(31));
        tokens.tokenFor(BOT);
        assertEquals(1, exchanges.get());
        clock.set(start.plus(Duration.ofMinutes(10)).minusSeconds(30));
        tokens.tokenFor(BOT);
        assertEquals(2, exchanges.get());
    }

    @Test
    void tokensWithoutExpiresInLiveByTheirExp() throws Exception {
        expiresIn = null;
        exp = Duration.ofMinutes(5);
        MachineTokens tokens = tokens();
        Instant start = clock.instant();

        tokens.tokenFor(BOT);
        clock.set(start.plus(exp).minusSeconds(31));
        tokens.tokenFor(BOT);

        assertEquals(1, exchanges.get());
    }

    @Test
    void veryShortTokensAreReusedForHalfTheirLifetime() throws Exception {
        exp = Duration.ofSeconds(40);
        expiresIn = Duration.ofSeconds(40);
        MachineTokens tokens = tokens();
        Instant start = clock.instant();

        tokens.tokenFor(BOT);
        clock.set(start.plusSeconds(19));
        tokens.tokenFor(BOT);
        assertEquals(1, exchanges.get());
        clock.set(start.plusSeconds(20));
        tokens.tokenFor(BOT);
        assertEquals(2, exchanges.get());
    }

    @Test
    void refusedPairIsNotSentAgainWithinTheInterval() throws Exception {
        MachineTokens tokens = tokens();
        ClientCredentials wrong = new ClientCredentials("ci-bot", "wrong-secret");

        CredentialsRefusedException first = assertThrows(CredentialsRefusedException.class, () -> tokens.tokenFor(wrong));
        clock.advance(Duration.ofSeconds(29));
        CredentialsRefusedException again = assertThrows(CredentialsRefusedException.class, () -> tokens.tokenFor(wrong));

        assertEquals(1, exchanges.get());
        assertEquals(first.getMessage(), again.getMessage());
        clock.advance(Duration.ofSeconds(1));
        assertThrows(CredentialsRefusedException.class, () -> tokens.tokenFor(wrong));
        assertEquals(2, exchanges.get(), "after the interval the IdP is asked again");
    }

    @Test
    void aRefusedSecretDoesNotBlockTheRightOne() throws Exception {
        MachineTokens tokens = tokens();

        assertThrows(CredentialsRefusedException.class,
                () -> tokens.tokenFor(new ClientCredentials("ci-bot", "wrong-secret")));
        MachineToken token = tokens.tokenFor(BOT);

        assertNotNull(token);
        assertEquals(2, exchanges.get());
    }

    @Test
    void aTokenNotValidForTheAppIsARefusalAndRememberedAsOne() {
        registered.add("other-api:secret");
        MachineTokens tokens = tokens();
        ClientCredentials other = new ClientCredentials("other-api", "secret");

        CredentialsRefusedException refused = assertThrows(CredentialsRefusedException.class, () -> tokens.tokenFor(other));
        assertThrows(CredentialsRefusedException.class, () -> tokens.tokenFor(other));

        assertTrue(refused.getMessage().contains("not valid for this app: aud does not contain"), refused.getMessage());
        assertEquals(1, exchanges.get());
        assertEquals(0, tokens.tokenCount());
    }

    @Test
    void anUnreachableIdpIsNotHeldAgainstThePair() throws Exception {
        MachineTokens tokens = tokens();
        idpDown = true;

        assertThrows(IdpUnavailableException.class, () -> tokens.tokenFor(BOT));
        idpDown = false;
        MachineToken token = tokens.tokenFor(BOT);

        assertNotNull(token);
        assertEquals(2, exchanges.get());
        assertEquals(0, tokens.refusalCount());
    }

    @Test
    void cachedNeverAsksTheIdp() throws Exception {
        MachineTokens tokens = tokens();

        assertNull(tokens.cached(BOT));
        assertEquals(0, exchanges.get());
        MachineToken token = tokens.tokenFor(BOT);
        assertSame(token, tokens.cached(BOT));
        assertNull(tokens.cached(new ClientCredentials("ci-bot", "wrong-secret")));
        assertEquals(1, exchanges.get());
    }

    @Test
    void bothCachesStayWithinTheirBoundWhateverTheyAreFed() throws Exception {
        MachineTokens tokens = tokens(new MachineTokens.Limits(32, 48, Duration.ofSeconds(30), 8, Duration.ofSeconds(10)));
        for (int i = 0; i < 300; i++) {
            registered.add("bot-" + i + ":secret");
            tokens.tokenFor(new ClientCredentials("bot-" + i, "secret"));
            ClientCredentials guess = new ClientCredentials("intruder", "guess-" + i);
            assertThrows(CredentialsRefusedException.class, () -> tokens.tokenFor(guess));
            assertTrue(tokens.tokenCount() <= 32, "tokens: " + tokens.tokenCount());
            assertTrue(tokens.refusalCount() <= 48, "refusals: " + tokens.refusalCount());
        }
        assertTrue(tokens.tokenCount() > 0);
        assertTrue(tokens.refusalCount() > 0);
    }

    @Test
    void concurrentFirstRequestsShareOneExchange() throws Exception {
        MachineTokens tokens = tokens();
        exchangeEntered = new CountDownLatch(1);
        releaseExchange = new CountDownLatch(1);

        Future<MachineToken> leader = threads.submit(() -> tokens.tokenFor(BOT));
        assertTrue(exchangeEntered.await(10, TimeUnit.SECONDS));
        List<Future<MachineToken>> followers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            followers.add(threads.submit(() -> tokens.tokenFor(BOT)));
        }
        awaitWaiting(tokens, 4);
        releaseExchange.countDown();

        MachineToken token = leader.get(10, TimeUnit.SECONDS);
        for (Future<MachineToken> follower : followers) {
            assertSame(token, follower.get(10, TimeUnit.SECONDS));
        }
        assertEquals(1, exchanges.get());
    }

    @Test
    void concurrentRequestsWithAWrongSecretShareOneRefusal() throws Exception {
        MachineTokens tokens = tokens();
        ClientCredentials wrong = new ClientCredentials("ci-bot", "wrong-secret");
        exchangeEntered = new CountDownLatch(1);
        releaseExchange = new CountDownLatch(1);

        Future<MachineToken> leader = threads.submit(() -> tokens.tokenFor(wrong));
        assertTrue(exchangeEntered.await(10, TimeUnit.SECONDS));
        Future<MachineToken> follower = threads.submit(() -> tokens.tokenFor(wrong));
        awaitWaiting(tokens, 1);
        releaseExchange.countDown();

        for (Future<MachineToken> request : List.of(leader, follower)) {
            Exception failure = assertThrows(Exception.class, () -> request.get(10, TimeUnit.SECONDS));
            assertTrue(failure.getCause() instanceof CredentialsRefusedException, String.valueOf(failure.getCause()));
        }
        assertEquals(1, exchanges.get());
    }

    @Test
    void aRequestWaitingLongerThanAnExchangeMayTakeGetsIdpUnavailable() throws Exception {
        MachineTokens tokens = tokens(new MachineTokens.Limits(100, 100, Duration.ofSeconds(30), 8, Duration.ofMillis(1)));
        exchangeEntered = new CountDownLatch(1);
        releaseExchange = new CountDownLatch(1);

        Future<MachineToken> leader = threads.submit(() -> tokens.tokenFor(BOT));
        assertTrue(exchangeEntered.await(10, TimeUnit.SECONDS));

        IdpUnavailableException waited = assertThrows(IdpUnavailableException.class, () -> tokens.tokenFor(BOT));
        assertTrue(waited.getMessage().contains("no answer from its token endpoint"), waited.getMessage());
        releaseExchange.countDown();
        assertNotNull(leader.get(10, TimeUnit.SECONDS));
        assertEquals(1, exchanges.get());
    }

    @Test
    void atMostTheConfiguredNumberOfExchangesRunAtOnce() throws Exception {
        MachineTokens tokens = tokens(new MachineTokens.Limits(100, 100, Duration.ofSeconds(30), 2, Duration.ofSeconds(10)));
        registered.add("bot-a:s");
        registered.add("bot-b:s");
        exchangeEntered = new CountDownLatch(2);
        releaseExchange = new CountDownLatch(1);

        Future<MachineToken> a = threads.submit(() -> tokens.tokenFor(new ClientCredentials("bot-a", "s")));
        Future<MachineToken> b = threads.submit(() -> tokens.tokenFor(new ClientCredentials("bot-b", "s")));
        assertTrue(exchangeEntered.await(10, TimeUnit.SECONDS));

        IdpUnavailableException busy = assertThrows(IdpUnavailableException.class, () -> tokens.tokenFor(BOT));
        assertEquals(2, exchanges.get(), "the third pair never reached the IdP");
        releaseExchange.countDown();
        assertNotNull(a.get(10, TimeUnit.SECONDS));
        assertNotNull(b.get(10, TimeUnit.SECONDS));
        assertNotNull(tokens.tokenFor(BOT), "once the others are done, the third pair is exchanged");
        assertTrue(busy.getMessage().contains("already waiting"), busy.getMessage());
    }

    @Test
    void textFormsNeverShowTokensOrSecrets() throws Exception {
        MachineToken token = tokens().tokenFor(BOT);

        assertTrue(!token.toString().contains(token.raw()), token.toString());
        assertTrue(!new IssuedToken("eyJsecret.token", HOUR).toString().contains("eyJ"));
    }

    private static void awaitWaiting(MachineTokens tokens, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (tokens.waiting() < expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + tokens.waiting() + " of " + expected + " requests are waiting");
            }
            Thread.sleep(1);
        }
    }
}
