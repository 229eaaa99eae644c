package dev.forwardauth.web;

import dev.forwardauth.forward.ForwardedRequest;
import dev.forwardauth.security.AppSecurity;
import dev.forwardauth.security.RequestScope;
import jakarta.servlet.ServletRequest;

/**
 * What one /authorize request has been found to be so far, filled in by the steps that find it out (the edge
 * filter, the outcome writer) and read once by {@link DecisionFilter} when the answer is written. Mutable and
 * confined to the request's thread; the immutable {@link dev.forwardauth.ops.Decision} is made from it.
 */
final class DecisionTrail {
    static final String ATTRIBUTE = DecisionTrail.class.getName();

    /** The X-Forwarded-* headers as understood; null: not from a trusted proxy, or not understood. */
    ForwardedRequest forwarded;
    /** The app the host selected; null: none (yet). */
    AppSecurity app;
    /** The normalised path (prefix included), or the refused path without its query. */
    String path;
    /** Set once the policy has spoken. */
    RequestScope scope;
    /** The path was the app's own callback or start path. */
    boolean ownRoute;
    /** The last answer written; null: none was. */
    Outcome outcome;

    /** The trail of this request; null outside /authorize and /auth-request. */
    static DecisionTrail of(ServletRequest request) {
        return (DecisionTrail) request.getAttribute(ATTRIBUTE);
    }
}
