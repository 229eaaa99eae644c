package dev.forwardauth.web;

import dev.forwardauth.security.RequestScope;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per /authorize decision: host, method, path, the rule that decided and why. Refusals (403) at
 * INFO so an operator can see who was denied what; every other decision at DEBUG, built only when DEBUG is
 * on, because this runs for every request of every protected site. Never a token or cookie: only the
 * request's coordinates and the policy's own words.
 */
final class DecisionLog {
    private static final Logger LOG = LoggerFactory.getLogger("dev.forwardauth.decision");

    private DecisionLog() {
    }

    static void record(HttpServletRequest request, Outcome outcome) {
        boolean refusal = outcome instanceof Outcome.Forbidden;
        if (!(refusal ? LOG.isInfoEnabled() : LOG.isDebugEnabled())) {
            return;
        }
        RequestScope scope = (RequestScope) request.getAttribute(RequestScope.ATTRIBUTE);
        if (scope == null) {
            return; // not an /authorize decision (or refused before the request was understood)
        }
        String rule = scope.requirement().rule().map(r -> r.describe()).orElse("app defaults");
        String result = describe(outcome);
        if (refusal) {
            // The 403's own reason: for a signed-in user lacking a scope the policy's "requires login" would
            // mislead.
            LOG.info("decision host={} method={} path={} rule=\"{}\" outcome={} reason=\"{}\"",
                    scope.request().hostName(), scope.request().method(), scope.path(), rule, result,
                    ((Outcome.Forbidden) outcome).reason());
        } else {
            LOG.debug("decision host={} method={} path={} rule=\"{}\" outcome={} reason=\"{}\"",
                    scope.request().hostName(), scope.request().method(), scope.path(), rule, result,
                    scope.requirement().reason());
        }
    }

    private static String describe(Outcome outcome) {
        if (outcome instanceof Outcome.Forbidden forbidden) {
            return "403 missing-scopes=" + forbidden.missingScopes() + " missing-permissions="
                    + forbidden.missingPermissions();
        }
        if (outcome instanceof Outcome.Allow allow) {
            return allow.identity() == null ? "200 anonymous" : "200 user";
        }
        if (outcome instanceof Outcome.Redirect) {
            return "307 login";
        }
        if (outcome instanceof Outcome.Unauthenticated) {
            return "401";
        }
        return outcome.getClass().getSimpleName();
    }
}
