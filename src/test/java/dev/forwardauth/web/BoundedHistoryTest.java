package dev.forwardauth.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BoundedHistoryTest {

    @Test
    void startsEmpty() {
        assertEquals(List.of(), new BoundedHistory<Integer>(3).newestFirst());
    }

    @Test
    void keepsEverythingNewestFirstUntilFull() {
        BoundedHistory<Integer> history = new BoundedHistory<>(5);
        IntStream.rangeClosed(1, 3).forEach(history::add);

        assertEquals(List.of(3, 2, 1), history.newestFirst());
    }

    @Test
    void keepsOnlyTheLastCapacityItems() {
        BoundedHistory<Integer> history = new BoundedHistory<>(200);
        IntStream.rangeClosed(1, 1_000).forEach(history::add);

        List<Integer> kept = history.newestFirst();

        assertEquals(200, kept.size());
        assertEquals(IntStream.iterate(1_000, i -> i - 1).limit(200).boxed().toList(), kept);
    }

    @Test
    void theCopyDoesNotChangeWhenMoreIsAdded() {
        BoundedHistory<String> history = new BoundedHistory<>(2);
        history.add("a");
        List<String> copy = history.newestFirst();
        history.add("b");

        assertEquals(List.of("a"), copy);
        assertEquals(List.of("b", "a"), history.newestFirst());
    }

    @Test
    void manyWritersNeverOverfillIt() throws Exception {
        int threads = 4;
        int each = 5_000;
        BoundedHistory<Integer> history = new BoundedHistory<>(200);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * each;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < each; i++) {
                        history.add(base + i);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }

        List<Integer> kept = history.newestFirst();
        assertEquals(200, kept.size());
        Set<Integer> distinct = new HashSet<>(kept);
        assertEquals(200, distinct.size(), "an item kept twice: " + kept);
        // The last 200 adds overall are kept, so of each writer's items exactly its last few, newest first.
        for (int t = 0; t < threads; t++) {
            int writer = t;
            List<Integer> own = kept.stream().filter(i -> i / each == writer).toList();
            int last = writer * each + each - 1;
            assertEquals(IntStream.iterate(last, i -> i - 1).limit(own.size()).boxed().toList(), own,
                    "writer " + writer);
        }
    }

    @Test
    void capacityMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new BoundedHistory<>(0));
    }
}
