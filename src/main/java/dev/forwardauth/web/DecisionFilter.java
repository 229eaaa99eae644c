package dev.forwardauth.web;

import dev.forwardauth.config.AppConfig;
import dev.forwardauth.ops.Decision;
import dev.forwardauth.ops.DecisionOutcome;
import dev.forwardauth.ops.DecisionSink;
import dev.forwardauth.ops.ForwardAuthMetrics;
import dev.forwardauth.ops.RequestIds;
import dev.forwardauth.policy.Access;
import dev.forwardauth.policy.Rule;
import dev.forwardauth.security.ForwardAuthSecurity;
import dev.forwardauth.security.LiveSecurity;
import dev.forwardauth.security.RequestScope;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.pac4j.core.profile.UserProfile;

/**
 * The first filter of /authorize and /auth-request: times the request and, once the answer is written, counts
 * the decision (metrics) and hands a {@link Decision} to the sink (the decision log). Nothing here blocks or
 * writes: the sink only queues. When no sink wants decisions, none is built.
 */
final class DecisionFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;

    private final transient LiveSecurity live;
    private final transient ForwardAuthMetrics metrics;
    private final transient DecisionSink sink;
    private final transient RequestIds requestIds = new RequestIds();

    DecisionFilter(LiveSecurity live, ForwardAuthMetrics metrics, DecisionSink sink) {
        this.live = live;
        this.metrics = metrics;
        this.sink = sink;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long started = System.nanoTime();
        long arrived = System.currentTimeMillis();
        DecisionTrail trail = new DecisionTrail();
        request.setAttribute(DecisionTrail.ATTRIBUTE, trail);
        try {
            chain.doFilter(request, response);
        } finally {
            long nanos = System.nanoTime() - started;
            DecisionOutcome outcome = outcomeOf(trail);
            AppConfig app = trail.app == null ? null : trail.app.config();
            metrics.decision(app, outcome, nanos);
            if (outcome == DecisionOutcome.LOGIN) {
                metrics.loginStarted(app);
            }
            if (sink != DecisionSink.NONE) {
                sink.accept(decision(request, response, trail, outcome, arrived));
            }
        }
    }

    static DecisionOutcome outcomeOf(DecisionTrail trail) {
        Outcome outcome = trail.outcome;
        if (outcome instanceof Outcome.Allow allow) {
            return allow.identity() == null ? DecisionOutcome.ANONYMOUS : DecisionOutcome.ALLOW;
        }
        if (outcome instanceof Outcome.Redirect) {
            return DecisionOutcome.LOGIN;
        }
        if (outcome instanceof Outcome.Unauthenticated) {
            return DecisionOutcome.UNAUTHENTICATED;
        }
        if (outcome instanceof Outcome.Forbidden) {
            // The edge fills the trail in as it goes, so how far it got says which refusal this was.
            if (trail.forwarded == null) {
                return DecisionOutcome.UNTRUSTED_PEER;
            }
            if (trail.app == null) {
                return DecisionOutcome.NO_APP;
            }
            return trail.scope != null && trail.scope.requirement().access() == Access.DENY
                    ? DecisionOutcome.DENY_RULE : DecisionOutcome.INSUFFICIENT;
        }
        if (outcome instanceof Outcome.Refused refused) {
            return refused.status() >= 500 ? DecisionOutcome.ERROR : DecisionOutcome.BAD_REQUEST;
        }
        if (outcome instanceof Outcome.Unavailable) {
            return DecisionOutcome.UNAVAILABLE;
        }
        return DecisionOutcome.ERROR; // nothing written: the client went away, or a bug
    }

    private Decision decision(HttpServletRequest request, HttpServletResponse response, DecisionTrail trail,
                              DecisionOutcome outcome, long arrived) {
        RequestScope scope = trail.scope;
        Optional<Rule> decided = scope == null ? Optional.empty() : scope.requirement().rule();
        String rule = decided.isPresent() ? decided.get().describe() : null;
        return new Decision(Instant.ofEpochMilli(arrived), requestIds.of(request.getHeader(RequestIds.HEADER)),
                trail.app == null ? null : ForwardAuthMetrics.appLabel(live.current().config(), trail.app.config()),
                trail.forwarded == null ? null : trail.forwarded.method(),
                trail.forwarded == null ? null : trail.forwarded.hostName(),
                trail.path, user(request, trail.outcome), rule, response.getStatus(), outcome,
                reason(trail, outcome));
    }

    // The subject only: a session's or bearer token's "sub" (a client id for client-credentials tokens).
    private static String user(HttpServletRequest request, Outcome outcome) {
        if (outcome instanceof Outcome.Allow allow) {
            return allow.identity() == null ? null : allow.identity().subject();
        }
        if (outcome instanceof Outcome.Forbidden) {
            Object profiles = request.getAttribute(ForwardAuthSecurity.USABLE_PROFILES_ATTRIBUTE);
            if (profiles instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof UserProfile profile) {
                return profile.getId();
            }
        }
        return null;
    }

    static String reason(DecisionTrail trail, DecisionOutcome kind) {
        Outcome outcome = trail.outcome;
        String policy = trail.scope == null ? null : trail.scope.requirement().reason();
        if (outcome instanceof Outcome.Allow) {
            return policy != null ? policy : trail.ownRoute ? "forwardauth's own callback or start path" : "allowed";
        }
        if (outcome instanceof Outcome.Redirect) {
            return "no session; " + (policy != null ? policy : "sign-in required");
        }
        if (outcome instanceof Outcome.Unauthenticated u) {
            // A refused bearer token, or refused Basic client credentials (allow-basic), says why itself.
            if (u.tokenError() != null) {
                return u.tokenError();
            }
            return u.credentialsError() != null ? u.credentialsError()
                    : "no session; " + (policy != null ? policy : "sign-in required");
        }
        if (outcome instanceof Outcome.Forbidden f) {
            StringBuilder reason = new StringBuilder(f.reason());
            if (!f.missingScopes().isEmpty()) {
                reason.append("; missing scopes: ").append(String.join(" ", f.missingScopes()));
            }
            if (!f.missingPermissions().isEmpty()) {
                reason.append("; missing permissions: ").append(String.join(" ", f.missingPermissions()));
            }
            return reason.toString();
        }
        if (outcome instanceof Outcome.Refused r) {
            return r.message();
        }
        if (outcome instanceof Outcome.Unavailable u) {
            return u.message();
        }
        return kind == DecisionOutcome.ERROR ? "no answer was written (the client went away, or an error)" : kind.label();
    }
}
