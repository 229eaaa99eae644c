package dev.forwardauth.reload;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * Polls until a condition holds: what a reload test waits for is a new answer, never a time. The limit is
 * generous (a loaded CI machine); the wait ends as soon as the condition holds.
 */
public final class Await {
    public static final Duration LIMIT = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 25;

    private Await() {
    }

    /** Calls {@code probe} until {@code done} accepts its result; returns that result. */
    public static <T> T until(String what, Callable<T> probe, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = probe.call();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(POLL_MILLIS);
        }
        fail("waited " + LIMIT.toSeconds() + " s for " + what + "; last: " + last);
        return last;
    }

    public static void until(String what, Callable<Boolean> condition) throws Exception {
        until(what, condition, Boolean.TRUE::equals);
    }
}
