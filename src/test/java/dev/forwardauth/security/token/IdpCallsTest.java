package dev.forwardauth.security.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bulkhead and the single flight that keep request threads out of a slow IdP. */
class IdpCallsTest {
    private static final HttpTimeouts ONE_SECOND = new HttpTimeouts(Duration.ofMillis(500), Duration.ofMillis(500));

    private final IdpCalls calls = new IdpCalls(ONE_SECOND, 2);
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
        calls.close();
    }

    @Test
    void aThreadBeyondTheLimitIsRefusedAtOnce() throws Exception {
        CountDownLatch entered = new CountDownLatch(2);
        CountDownLatch leave = new CountDownLatch(1);
        for (int i = 0; i < 2; i++) {
            pool.submit(() -> {
                try (IdpCalls.Permit permit = calls.enter()) {
                    entered.countDown();
                    leave.await();
                }
                return null;
            });
        }
        assertTrue(entered.await(10, TimeUnit.SECONDS));

        IdpUnavailableException refused = assertThrows(IdpUnavailableException.class, calls::enter);

        assertEquals("identity provider unavailable: 2 requests are already waiting for it"
                + " (idp-max-concurrent-calls); try again shortly", refused.getMessage());
        leave.countDown();
        awaitFree();
        try (IdpCalls.Permit permit = calls.enter()) {
            assertEquals(1, calls.inUse());
        }
        assertEquals(0, calls.inUse());
    }

    @Test
    void nestedSectionsOnOneThreadShareOnePlace() throws Exception {
        try (IdpCalls.Permit outer = calls.enter()) {
            try (IdpCalls.Permit inner = calls.enter()) {
                assertSame(outer, inner);
                assertEquals(1, calls.inUse());
            }
            assertEquals(1, calls.inUse(), "the outer section still holds it");
        }
        assertEquals(0, calls.inUse());
    }

    @Test
    void aFetchInFlightIsSharedNotRepeated() throws Exception {
        SingleFlight<String> flight = calls.singleFlight();
        AtomicInteger fetches = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        SingleFlight.Fetch<String> fetch = () -> {
            fetches.incrementAndGet();
            release.await();
            return "metadata";
        };

        SingleFlight.Flight<String> first = flight.join(fetch);
        SingleFlight.Flight<String> second = flight.join(fetch);
        release.countDown();

        assertTrue(first.started());
        assertTrue(!second.started());
        assertSame(first.result(), second.result());
        assertEquals("metadata", calls.await(second.result(), "test"));
        assertEquals(1, fetches.get());
        awaitCondition(() -> !flight.inFlight());
        assertEquals("metadata", calls.await(flight.join(fetch).result(), "test"));
        assertEquals(2, fetches.get(), "a finished fetch is not reused: the next one asks again");
    }

    @Test
    void aWaiterGivesUpAfterOneFetchsWorthOfTimeAndTheFetchGoesOn() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> slow = calls.<String>singleFlight().join(() -> {
            release.await();
            return "late";
        }).result();

        IdpUnavailableException timedOut = assertThrows(IdpUnavailableException.class,
                () -> calls.await(slow, "http://idp.example/.well-known/openid-configuration"));

        assertEquals("identity provider unavailable: no answer from"
                + " http://idp.example/.well-known/openid-configuration within 2 s", timedOut.getMessage());
        release.countDown();
        assertEquals("late", slow.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aFailedFetchTellsEveryWaiterWhy() throws Exception {
        IdpUnavailableException cause = new IdpUnavailableException("identity provider unavailable: HTTP 500", null);
        CompletableFuture<String> failed = calls.<String>singleFlight().join(() -> {
            throw cause;
        }).result();
        Future<IdpUnavailableException> other = pool.submit(
                () -> assertThrows(IdpUnavailableException.class, () -> calls.await(failed, "x")));

        assertSame(cause, assertThrows(IdpUnavailableException.class, () -> calls.await(failed, "x")));
        assertSame(cause, other.get(10, TimeUnit.SECONDS));
    }

    @Test
    void limitMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new IdpCalls(ONE_SECOND, 0));
    }

    private void awaitFree() throws InterruptedException {
        awaitCondition(() -> calls.inUse() == 0);
    }

    private static void awaitCondition(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met within 10 s");
            Thread.sleep(5);
        }
    }
}
