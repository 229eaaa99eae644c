package dev.forwardauth.ops;

import java.util.Locale;

/**
 * The kinds of answer /authorize gives: the {@code outcome} of a decision log line and the label of
 * {@code forwardauth_decisions_total}. A fixed set, so the metric's labels stay bounded.
 */
public enum DecisionOutcome {
    /** 200 with identity headers (a session or a bearer token). */
    ALLOW,
    /** 200 without identity: an anonymous rule or method, or forwardauth's own callback or start path. */
    ANONYMOUS,
    /** 307 to the identity provider: a browser without a session starts a login. */
    LOGIN,
    /** 401: no session (API client, XHR, nginx), or a bearer token that was refused. */
    UNAUTHENTICATED,
    /** 403: signed in, but the access token lacks a scope or permission the rule or app requires. */
    INSUFFICIENT,
    /** 403: a rule with {@code "allow": "deny"}. */
    DENY_RULE,
    /** 403: no app for the host, and no {@code default}. */
    NO_APP,
    /** 403: the peer is not in {@code trusted-proxies}. */
    UNTRUSTED_PEER,
    /** 400: an X-Forwarded-* header is missing or malformed, or the path is refused. */
    BAD_REQUEST,
    /** 503: the identity provider was needed and could not be reached. */
    UNAVAILABLE,
    /** 500, or no answer at all (the client went away). */
    ERROR;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** As written in the log and the metric label. */
    public String label() {
        return label;
    }
}
