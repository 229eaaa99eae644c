/**
 * pac4j's session kept in encrypted, authenticated cookies: no server-side state, so every replica that
 * shares {@code session-secret} serves every user.
 *
 * <p>What the web layer calls, per request, on one {@link dev.forwardauth.security.session.CookieSessionStore}
 * (also registered as pac4j's session store), always ending with {@code commit} before the response is written:
 * <ul>
 *   <li>Login start ({@code /authorize} without a session, {@code /start}): {@code startLogin(context, appName)},
 *       then pac4j (saves the requested URL, sets state, nonce, PKCE verifier), then {@code commit}: one
 *       {@code FORWARDAUTH_LOGIN_<hash of state>} cookie.</li>
 *   <li>Callback ({@code /signin?state=...}): {@code lookup(context, state)} to pick the app (FOUND) or explain
 *       (EXPIRED, UNKNOWN); pac4j's callback logic; {@code endLogin(context, state)} on paths where pac4j did
 *       not run; {@code commit}: the session cookie, and the pending-login cookie deleted.</li>
 *   <li>Authorize: pac4j's {@code ProfileManager} (with its {@code Config}, so an expired access token is
 *       renewed with the refresh token); {@code commit}: a new session cookie only if it was renewed.</li>
 *   <li>Sign-out: {@code destroySession(context)}; {@code commit}: every cookie of ours deleted.</li>
 * </ul>
 */
package dev.forwardauth.security.session;
