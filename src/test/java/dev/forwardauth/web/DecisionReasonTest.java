package dev.forwardauth.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.forwardauth.ops.DecisionOutcome;
import org.junit.jupiter.api.Test;

/** The decision log's reason for a 401: what the answer's own body says, never a generic "no session". */
class DecisionReasonTest {
    @Test
    void refusedBasicCredentialsAreLoggedWithTheirReason() {
        DecisionTrail trail = new DecisionTrail();
        trail.outcome = new Outcome.Unauthenticated(null, null,
                "the identity provider's access token audience does not include https://api.example.com", true);

        assertEquals("the identity provider's access token audience does not include https://api.example.com",
                DecisionFilter.reason(trail, DecisionOutcome.UNAUTHENTICATED));
    }

    @Test
    void aRefusedBearerTokenIsLoggedWithItsReason() {
        DecisionTrail trail = new DecisionTrail();
        trail.outcome = new Outcome.Unauthenticated(null, "access token signature is invalid");

        assertEquals("access token signature is invalid", DecisionFilter.reason(trail, DecisionOutcome.UNAUTHENTICATED));
    }

    @Test
    void withoutCredentialsItIsNoSession() {
        DecisionTrail trail = new DecisionTrail();
        trail.outcome = new Outcome.Unauthenticated(null, null);

        assertEquals("no session; sign-in required", DecisionFilter.reason(trail, DecisionOutcome.UNAUTHENTICATED));
    }
}
