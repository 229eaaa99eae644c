package dev.forwardauth.security.token;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * At most one fetch of a kind in flight: whoever asks while one runs gets that one's result, so a hundred
 * logins waiting for discovery cause one request to the IdP. The fetch runs on a thread of {@link IdpCalls},
 * never on the caller's, so a caller can stop waiting without leaving a request thread inside the IdP call.
 */
public final class SingleFlight<T> {
    /** A fetch; it may throw {@link IdpUnavailableException} to tell the waiters why it failed. */
    @FunctionalInterface
    public interface Fetch<T> {
        T fetch() throws Exception;
    }

    /** The fetch in flight, and whether this caller started it. */
    public record Flight<T>(CompletableFuture<T> result, boolean started) {
    }

    private final Executor executor;
    private final AtomicReference<CompletableFuture<T>> current = new AtomicReference<>();

    SingleFlight(Executor executor) {
        this.executor = executor;
    }

    /** Joins the fetch in flight, or starts {@code fetch} when there is none. */
    public Flight<T> join(Fetch<T> fetch) {
        while (true) {
            CompletableFuture<T> running = current.get();
            if (running != null && !running.isDone()) {
                return new Flight<>(running, false);
            }
            if (running != null) {
                // Finished, and about to be cleared by its runner. Its result was already stored where callers
                // look (the fetch does that before it returns), so a caller that still asks needs a newer one:
                // an unknown kid, a retry after a failure. Joining the old one would answer with stale news.
                current.compareAndSet(running, null);
                continue;
            }
            CompletableFuture<T> mine = new CompletableFuture<>();
            if (current.compareAndSet(null, mine)) {
                try {
                    executor.execute(() -> run(mine, fetch));
                } catch (RejectedExecutionException e) {
                    current.compareAndSet(mine, null);
                    mine.completeExceptionally(e);
                }
                return new Flight<>(mine, true);
            }
        }
    }

    public boolean inFlight() {
        CompletableFuture<T> running = current.get();
        return running != null && !running.isDone();
    }

    private void run(CompletableFuture<T> mine, Fetch<T> fetch) {
        try {
            mine.complete(fetch.fetch());
        } catch (Throwable e) {
            mine.completeExceptionally(e);
        } finally {
            current.compareAndSet(mine, null);
        }
    }
}
