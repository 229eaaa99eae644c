package dev.forwardauth.ops;

import java.time.Instant;
import java.util.Objects;

/**
 * One /authorize (or /auth-request) decision, exactly as the decision log writes it: the request's coordinates,
 * who asked, which rule decided, what was answered and why. Never a token, cookie or secret. Immutable, so it
 * can be handed to another thread (the log writer, the status page) as it is.
 *
 * @param time      when the request arrived
 * @param requestId the proxy's {@code X-Request-Id} when it sent a sane one, else one made up here
 * @param app       the app the host selected (its {@code name}, {@code default} for the default app); null when
 *                  none was (untrusted peer, malformed headers, unknown host)
 * @param method    the original request's method; null when the headers were not understood
 * @param host      the original request's host name (lower case, no port); null likewise
 * @param path      the normalised path (never a query); null when the headers were not understood
 * @param user      the subject ({@code sub}) of the session or bearer token; null when nobody is signed in
 * @param rule      the rule that decided ({@code rules[1] /admin/** POST}); null when none did
 * @param status    the HTTP status answered
 * @param outcome   what kind of answer that was
 * @param reason    why, in the words of the policy or the refusal
 */
public record Decision(Instant time, String requestId, String app, String method, String host, String path,
                       String user, String rule, int status, DecisionOutcome outcome, String reason) {

    public Decision {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
    }

    /** True when the request was let through (2xx). */
    public boolean passed() {
        return status >= 200 && status < 300;
    }
}
