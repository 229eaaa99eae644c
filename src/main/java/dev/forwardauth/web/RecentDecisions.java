package dev.forwardauth.web;

import dev.forwardauth.ops.Decision;
import dev.forwardauth.ops.DecisionSink;
import java.util.List;

/**
 * The last {@link #CAPACITY} /authorize decisions, in memory, for the status page: one of the sinks of
 * {@link DecisionFilter}, so the page lists exactly what the decision log writes (and the metrics count).
 */
final class RecentDecisions implements DecisionSink {
    static final int CAPACITY = 200;

    private final BoundedHistory<Decision> history;

    RecentDecisions(int capacity) {
        this.history = new BoundedHistory<>(capacity);
    }

    RecentDecisions() {
        this(CAPACITY);
    }

    @Override
    public void accept(Decision decision) {
        history.add(decision);
    }

    List<Decision> newestFirst() {
        return history.newestFirst();
    }

    int capacity() {
        return history.capacity();
    }
}
