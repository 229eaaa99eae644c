package dev.forwardauth.web;

import dev.forwardauth.policy.Requirement;

/**
 * One /authorize decision as the status page lists it. Made on the hot path, so it only keeps references to
 * values the request already has; the page formats them when it renders. {@code app} is null for the
 * {@code default} app, {@code user} null without a signed-in caller, {@code refusal} set for a 403. Never a
 * token: the identity the 200 carries is reduced to its subject.
 */
record RecentDecision(long epochMillis, String app, String method, String host, String path, String user,
                      int status, Requirement requirement, Outcome.Forbidden refusal) {
}
