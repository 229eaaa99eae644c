package dev.forwardauth.ops;

/**
 * Where decisions go (the decision log, a list of recent decisions). Called on the request thread for every
 * decision, so an implementation must not block, lock or do I/O there: hand the record on and return.
 */
@FunctionalInterface
public interface DecisionSink {
    /** Takes nothing; recording is skipped altogether when this is the only sink. */
    DecisionSink NONE = decision -> {
    };

    void accept(Decision decision);

    /** This sink, then {@code next}. */
    default DecisionSink andThen(DecisionSink next) {
        if (this == NONE) {
            return next;
        }
        if (next == NONE) {
            return this;
        }
        return decision -> {
            accept(decision);
            next.accept(decision);
        };
    }
}
