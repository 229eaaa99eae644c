package dev.forwardauth.security.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.forwardauth.security.session.UsedStates.Use;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class UsedStatesTest {

    private static final Duration NONCE_MAX_AGE = Duration.ofSeconds(300);

    private final MutableClock clock = new MutableClock();

    @Test
    void aStateIsUsableOnceAndOthersAreNotDisturbed() {
        UsedStates used = new UsedStates(clock);
        Instant validUntil = clock.instant().plus(NONCE_MAX_AGE);

        assertEquals(Use.FIRST, used.use("state-one", validUntil));
        assertEquals(Use.AGAIN, used.use("state-one", validUntil));
        assertEquals(Use.FIRST, used.use("state-two", validUntil));
        assertEquals(Use.AGAIN, used.use("state-one", validUntil));
    }

    @Test
    void aStateIsForgottenOnceItsLoginHasExpiredAndNotBefore() {
        UsedStates used = new UsedStates(clock);
        used.use("state-one", clock.instant().plus(NONCE_MAX_AGE));
        used.use("state-two", clock.instant().plus(NONCE_MAX_AGE).plusSeconds(10));

        clock.advance(NONCE_MAX_AGE.minusSeconds(1));
        assertEquals(Use.AGAIN, used.use("state-one", clock.instant().plusSeconds(1)));
        clock.advance(Duration.ofSeconds(1));
        used.use("state-three", clock.instant().plus(NONCE_MAX_AGE));

        // state-one's login is over (the callback says "expired" before asking); state-two's is not.
        assertEquals(2, used.size());
        assertEquals(Use.AGAIN, used.use("state-two", clock.instant().plusSeconds(10)));
    }

    @Test
    void neverHoldsMoreThanItsCapacityAndRefusesWhatItCouldHaveForgotten() {
        UsedStates used = new UsedStates(clock, 3);
        Instant start = clock.instant();
        for (int i = 1; i <= 3; i++) {
            assertEquals(Use.FIRST, used.use("state-" + i, start.plus(NONCE_MAX_AGE).plusSeconds(i)));
        }

        // At the cap the oldest used, state-1, is forgotten...
        assertEquals(Use.FIRST, used.use("state-4", start.plus(NONCE_MAX_AGE).plusSeconds(4)));
        assertEquals(3, used.size());
        // ...so a second use of it, and any login as old, fails closed: it cannot be told apart from a replay.
        assertEquals(Use.UNTOLD, used.use("state-1", start.plus(NONCE_MAX_AGE).plusSeconds(1)));
        assertEquals(Use.UNTOLD, used.use("never-used", start.plus(NONCE_MAX_AGE)));
        // Younger logins go on as before.
        assertEquals(Use.AGAIN, used.use("state-2", start.plus(NONCE_MAX_AGE).plusSeconds(2)));
        assertEquals(Use.FIRST, used.use("state-5", start.plus(NONCE_MAX_AGE).plusSeconds(5)));
        assertEquals(3, used.size());
    }

    @Test
    void manyLoginsKeepItAtItsCapacity() {
        UsedStates used = new UsedStates(clock, 1000);
        for (int i = 0; i < 10_000; i++) {
            used.use("state-" + i, clock.instant().plus(NONCE_MAX_AGE));
            clock.advance(Duration.ofMillis(1));
        }

        assertEquals(1000, used.size());
    }

    @Test
    void ofCallbacksAtTheSameTimeForOneStateExactlyOneIsTheFirst() throws Exception {
        UsedStates used = new UsedStates(clock);
        Instant validUntil = clock.instant().plus(NONCE_MAX_AGE);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Use>> callbacks = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                callbacks.add(() -> used.use("state-one", validUntil));
            }
            int first = 0;
            for (Future<Use> result : threads.invokeAll(callbacks)) {
                first += result.get() == Use.FIRST ? 1 : 0;
            }

            assertEquals(1, first);
        } finally {
            threads.shutdownNow();
        }
    }
}
