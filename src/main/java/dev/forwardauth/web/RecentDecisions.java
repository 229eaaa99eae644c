package dev.forwardauth.web;

import dev.forwardauth.security.ForwardAuthSecurity;
import dev.forwardauth.security.RequestScope;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.List;
import org.pac4j.core.profile.UserProfile;

/** The last {@link #CAPACITY} /authorize decisions, in memory, for the status page. */
final class RecentDecisions {
    static final int CAPACITY = 200;

    private final BoundedHistory<RecentDecision> history;
    private final Clock clock;

    RecentDecisions(int capacity, Clock clock) {
        this.history = new BoundedHistory<>(capacity);
        this.clock = clock;
    }

    RecentDecisions(Clock clock) {
        this(CAPACITY, clock);
    }

    /** Called for every outcome written; keeps those of /authorize and /auth-request (they have a scope). */
    void record(HttpServletRequest request, Outcome outcome) {
        RequestScope scope = (RequestScope) request.getAttribute(RequestScope.ATTRIBUTE);
        if (scope == null) {
            return;
        }
        history.add(new RecentDecision(clock.millis(), scope.app().config().name(), scope.request().method(),
                scope.request().hostName(), scope.path(), user(request, outcome), status(outcome),
                scope.requirement(), outcome instanceof Outcome.Forbidden forbidden ? forbidden : null));
    }

    List<RecentDecision> newestFirst() {
        return history.newestFirst();
    }

    int capacity() {
        return history.capacity();
    }

    private static String user(HttpServletRequest request, Outcome outcome) {
        if (outcome instanceof Outcome.Allow allow) {
            return allow.identity() == null ? null : allow.identity().subject();
        }
        // A 403 after login: the security logic left the caller's profile in the request.
        if (request.getAttribute(ForwardAuthSecurity.USABLE_PROFILES_ATTRIBUTE) instanceof List<?> profiles
                && !profiles.isEmpty() && profiles.get(0) instanceof UserProfile profile) {
            return profile.getId();
        }
        return null;
    }

    static int status(Outcome outcome) {
        if (outcome instanceof Outcome.Allow || outcome instanceof Outcome.Notice) {
            return 200;
        }
        if (outcome instanceof Outcome.Redirect redirect) {
            return redirect.status();
        }
        if (outcome instanceof Outcome.Unauthenticated) {
            return 401;
        }
        if (outcome instanceof Outcome.Forbidden) {
            return 403;
        }
        if (outcome instanceof Outcome.Refused refused) {
            return refused.status();
        }
        return outcome instanceof Outcome.Unavailable ? 503 : 500;
    }
}
