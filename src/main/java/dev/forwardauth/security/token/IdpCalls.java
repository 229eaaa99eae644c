package dev.forwardauth.security.token;

import java.io.Closeable;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The rules for every call to the identity provider. The threads that would wait for it are the ones that also
 * answer sessions and bearer tokens, so a slow or dead IdP must never be able to take them all:
 * <ul>
 * <li>every connection has the configured connect and read timeouts ({@link #timeouts()});</li>
 * <li>a bulkhead: at most {@code maxConcurrent} request threads call the IdP or wait for a call at once
 * ({@link #enter()}); the next one is refused at once (503) instead of queuing behind them;</li>
 * <li>fetches that every request shares (discovery, signing keys) run on threads of ours, one at a time per
 * {@link SingleFlight}, however many requests wait for them; a waiting request gives up after one fetch's
 * worth of time ({@link #await}).</li>
 * </ul>
 */
public final class IdpCalls implements Closeable {
    private final HttpTimeouts timeouts;
    private final int maxConcurrent;
    private final Semaphore permits;
    private final Duration waitLimit;
    private final ThreadLocal<Permit> held = new ThreadLocal<>();
    private final ExecutorService fetchers;

    public IdpCalls(HttpTimeouts timeouts, int maxConcurrent) {
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1");
        }
        this.maxConcurrent = maxConcurrent;
        this.permits = new Semaphore(maxConcurrent);
        // Connect, then the answer's first bytes; the second of slack covers DNS and parsing.
        this.waitLimit = timeouts.connect().plus(timeouts.read()).plusSeconds(1);
        AtomicInteger threads = new AtomicInteger();
        // Unbounded in principle, bounded in practice: each SingleFlight runs at most one fetch at a time.
        // Daemon threads, so a webapp that is not stopped cleanly cannot keep the JVM alive.
        this.fetchers = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "forwardauth-idp-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public int maxConcurrentCalls() {
        return maxConcurrent;
    }

    public HttpTimeouts timeouts() {
        return timeouts;
    }

    /** The longest a request thread waits for a shared fetch. */
    public Duration waitLimit() {
        return waitLimit;
    }

    /**
     * A place in the bulkhead for the current thread, to close when its IdP call (or its wait for one) is
     * over. Nested sections on the same thread (a renewal that also validates a token) share one place.
     *
     * @throws IdpUnavailableException at once, without waiting, when every place is taken
     */
    public Permit enter() throws IdpUnavailableException {
        Permit current = held.get();
        if (current != null) {
            current.depth++;
            return current;
        }
        if (!permits.tryAcquire()) {
            throw new IdpUnavailableException("identity provider unavailable: " + maxConcurrent
                    + " requests are already waiting for it (idp-max-concurrent-calls); try again shortly", null);
        }
        Permit permit = new Permit();
        held.set(permit);
        return permit;
    }

    /** Places taken right now; for tests and logs. */
    public int inUse() {
        return maxConcurrent - permits.availablePermits();
    }

    public <T> SingleFlight<T> singleFlight() {
        return new SingleFlight<>(fetchers);
    }

    /**
     * Waits for a shared fetch at most {@link #waitLimit()}. Call it holding a {@link Permit}.
     *
     * @param what names the call in the message, e.g. the URL
     */
    public <T> T await(CompletableFuture<T> fetch, String what) throws IdpUnavailableException {
        try {
            return fetch.get(waitLimit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IdpUnavailableException("identity provider unavailable: no answer from " + what + " within "
                    + waitLimit.toSeconds() + " s", null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IdpUnavailableException unavailable) {
                throw unavailable;
            }
            throw new IdpUnavailableException("identity provider unavailable: " + what + ": "
                    + IdpMetadataLoader.describe(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IdpUnavailableException("identity provider unavailable: interrupted while waiting for "
                    + what, e);
        }
    }

    @Override
    public void close() {
        fetchers.shutdownNow();
    }

    /** One thread's place in the bulkhead; closing the outermost section gives it back. */
    public final class Permit implements AutoCloseable {
        private int depth = 1;

        private Permit() {
        }

        @Override
        public void close() {
            if (depth > 0 && --depth == 0) {
                held.remove();
                permits.release();
            }
        }
    }
}
