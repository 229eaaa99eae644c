package dev.forwardauth.security;

import java.util.Objects;

/**
 * The {@link ForwardAuthSecurity} new requests are served with. A reload builds a complete new one off the
 * request threads and {@link #swap}s it in; each request reads {@link #current()} once, at its start, and
 * keeps what it got to the end, so a request in flight never sees half of one configuration and half of
 * another. One volatile read per request, no lock.
 */
public final class LiveSecurity {
    private volatile ForwardAuthSecurity current;

    public LiveSecurity(ForwardAuthSecurity initial) {
        this.current = Objects.requireNonNull(initial, "initial");
    }

    public ForwardAuthSecurity current() {
        return current;
    }

    /** Serves new requests with {@code next}; returns the one they were served with until now. */
    public ForwardAuthSecurity swap(ForwardAuthSecurity next) {
        ForwardAuthSecurity previous = current;
        current = Objects.requireNonNull(next, "next");
        return previous;
    }
}
