package dev.forwardauth.security.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SingleFlightTest {
    // Fetches wait here until a test runs them, so "in flight" lasts as long as the test wants.
    private final List<Runnable> queued = new ArrayList<>();
    private final SingleFlight<String> flight = new SingleFlight<>(queued::add);

    @Test
    void callersWhileAFetchRunsShareIt() {
        SingleFlight.Flight<String> first = flight.join(() -> "keys");
        SingleFlight.Flight<String> second = flight.join(() -> "other keys");

        assertTrue(first.started());
        assertFalse(second.started());
        assertSame(first.result(), second.result());
        assertEquals(1, queued.size());
        assertTrue(flight.inFlight());
    }

    @Test
    void aCallerAfterTheFetchFinishedGetsAFetchOfItsOwnNotTheOldAnswer() throws Exception {
        SingleFlight.Flight<String> first = flight.join(() -> "keys before the rotation");
        // Finished, but its runner has not cleared it yet: the moment an unknown kid or a retry may arrive in.
        first.result().complete("keys before the rotation");

        SingleFlight.Flight<String> later = flight.join(() -> "keys after the rotation");

        assertTrue(later.started());
        assertNotSame(first.result(), later.result());
        queued.get(1).run();
        assertEquals("keys after the rotation", later.result().get());
    }
}
