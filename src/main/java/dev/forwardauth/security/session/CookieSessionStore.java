package dev.forwardauth.security.session;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.pac4j.core.context.Cookie;
import org.pac4j.core.context.WebContext;
import org.pac4j.core.context.session.SessionStore;
import org.pac4j.core.profile.UserProfile;

/**
 * pac4j's session, kept in the browser: an encrypted, authenticated session cookie ({@code FORWARDAUTH})
 * for the login, and one short-lived cookie per login under way. Nothing is kept on the server, so every
 * replica sharing {@code session-secret} can serve every request.
 *
 * <p>Per request: reads decode the cookies once into a request attribute; writes change only that
 * attribute; {@link #commit} turns the changes into Set-Cookie headers and must be called once, just before
 * the response is written. Keys other than the profiles and the login values (pac4j's CSRF tokens, its
 * "authentication attempted" marker) live for the request only: forwardauth does not use pac4j's CSRF
 * matcher (/authorize is a GET from the proxy, the callback is protected by state, nonce and PKCE), and
 * carrying them would grow every cookie for nothing.
 */
public final class CookieSessionStore implements SessionStore {

    private static final String STATE_PARAMETER = "state";

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final PendingLogins pendingLogins;
    private final SessionCookies sessionCookies;
    private final SessionReader reader;
    private final ResponseCookies responseCookies;
    // Per instance, so two stores (other secrets) on one request never share decoded state.
    private final String attribute = RequestState.ATTRIBUTE + "#" + Integer.toHexString(System.identityHashCode(this));

    public CookieSessionStore(SessionSettings settings) {
        this(settings, Clock.systemUTC());
    }

    public CookieSessionStore(SessionSettings settings, Clock clock) {
        Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sessionCookies = new SessionCookies(SessionCrypto.forSessions(settings.secret(), random));
        OidcProfiles profiles = new OidcProfiles();
        this.pendingLogins = new PendingLogins(
                SessionCrypto.forPendingLogins(settings.secret(), random), settings.nonceMaxAge());
        this.reader = new SessionReader(sessionCookies, profiles, clock);
        this.responseCookies = new ResponseCookies(
                sessionCookies, pendingLogins, profiles, reader, settings.sessionMaxAge());
    }

    /** Session cookies kept decoded now (for the metrics). */
    public int cachedSessions() {
        return reader.cachedSessions();
    }

    // --- Called by the web layer ---

    /** Before pac4j builds the redirect to the IdP: the login cookie will remember which app asked. */
    public void startLogin(WebContext context, String appName) {
        writable(context).draft = new RequestState.LoginDraft(appName);
    }

    /** On the callback, before pac4j: which app's login this state belongs to, or why there is none. */
    public PendingLogin lookup(WebContext context, String state) {
        Optional<PendingLoginData> found = pending(state(context), state);
        if (found.isEmpty()) {
            return PendingLogin.UNKNOWN;
        }
        PendingLoginData data = found.get();
        PendingLogin.Status status = data.isExpiredAt(now()) ? PendingLogin.Status.EXPIRED : PendingLogin.Status.FOUND;
        return new PendingLogin(status, data.appName(), data.requestedUrl(), data.expiresAt());
    }

    /** Ends a login, successful or not: its cookie is deleted at commit, so its state works only once. */
    public void endLogin(WebContext context, String state) {
        RequestState requestState = writable(context);
        if (state != null && !state.isEmpty()) {
            requestState.consumedPendingCookies.add(PendingLogins.cookieName(state));
        }
    }

    /**
     * Writes this request's changes as Set-Cookie headers. Later calls do nothing. When a new session cannot be
     * written ({@link SessionNotWrittenException}), nothing is written and the session is dropped, so the next
     * call, from the error page, writes the rest: the used pending login is deleted all the same.
     */
    public void commit(WebContext context, CookieSettings cookieSettings) {
        Objects.requireNonNull(cookieSettings, "cookieSettings");
        RequestState state = state(context);
        if (state.committed) {
            return;
        }
        List<Cookie> cookies;
        try {
            cookies = responseCookies.of(state, cookieSettings, now());
        } catch (SessionNotWrittenException e) {
            state.profilesChanged = false;
            state.profiles = new LinkedHashMap<>();
            throw e;
        }
        state.committed = true;
        cookies.forEach(context::addResponseCookie);
    }

    /**
     * Sign-out's extra deletions: the session cookie in each of {@code scopes} besides the one {@link #commit}
     * deletes. A browser sends cookies without their Domain, so which scopes it holds cannot be told.
     */
    public void deleteSessionIn(WebContext context, List<CookieSettings> scopes) {
        scopes.forEach(scope -> sessionCookies.deleteAll(scope).forEach(context::addResponseCookie));
    }

    // --- pac4j SessionStore ---

    // pac4j asks for an id to decide whether a session exists (ProfileManager.removeProfiles, logout) and
    // around renewals; nothing looks it up later. A random per-request id answers both without being a
    // handle to anything.
    @Override
    public Optional<String> getSessionId(WebContext context, boolean createSession) {
        RequestState state = state(context);
        if (state.sessionId == null && (createSession || state.changed() || reader.read(state).isPresent())) {
            state.sessionId = newSessionId();
        }
        return Optional.ofNullable(state.sessionId);
    }

    @Override
    public Optional<Object> get(WebContext context, String key) {
        RequestState state = state(context);
        SessionKey sessionKey = SessionKey.of(key);
        switch (sessionKey.kind()) {
            case PROFILES:
                return reader.currentProfiles(state).map(LinkedHashMap::new);
            case REQUEST_ONLY:
                return Optional.ofNullable(state.requestOnly.get(key));
            default:
                Object local = state.requestOnly.get(key);
                return local != null ? Optional.of(local) : pendingValue(context, state, sessionKey);
        }
    }

    @Override
    public void set(WebContext context, String key, Object value) {
        RequestState state = writable(context);
        SessionKey sessionKey = SessionKey.of(key);
        switch (sessionKey.kind()) {
            case PROFILES:
                state.profilesChanged = true;
                state.profiles = profileMap(value);
                break;
            case REQUEST_ONLY:
                putRequestOnly(state, key, value);
                break;
            default:
                state.requestOnly.remove(key);
                if (value == null) {
                    PendingValues.clear(state, sessionKey);
                } else if (!PendingValues.set(state, sessionKey, value)) {
                    // e.g. pac4j's OkAction replaying a POST: not something to carry through the IdP.
                    state.requestOnly.put(key, value);
                }
        }
    }

    @Override
    public boolean destroySession(WebContext context) {
        RequestState state = writable(context);
        state.destroyed = true;
        state.profilesChanged = false;
        state.profiles = new LinkedHashMap<>();
        state.draft = null;
        state.requestOnly.clear();
        state.sessionId = null;
        return true;
    }

    // No server-side session to track: pac4j's logout handler then records nothing (back-channel logout is
    // not possible without server state).
    @Override
    public Optional<Object> getTrackableSession(WebContext context) {
        return Optional.empty();
    }

    @Override
    public Optional<SessionStore> buildFromTrackableSession(WebContext context, Object trackableSession) {
        return Optional.empty();
    }

    // Session fixation cannot happen: the cookie is re-sealed under a fresh random nonce whenever it is
    // written, and its content comes only from this server. A new id is all pac4j's callback needs to go on.
    @Override
    public boolean renewSession(WebContext context) {
        writable(context).sessionId = newSessionId();
        return true;
    }

    // --- internals ---

    private RequestState state(WebContext context) {
        Optional<?> existing = context.getRequestAttribute(attribute);
        if (existing.isPresent() && existing.get() instanceof RequestState requestState) {
            return requestState;
        }
        RequestState created = new RequestState(IncomingCookies.from(context));
        context.setRequestAttribute(attribute, created);
        return created;
    }

    private RequestState writable(WebContext context) {
        RequestState state = state(context);
        if (state.committed) {
            // A change after the Set-Cookie headers went out would be lost without a trace.
            throw new IllegalStateException("session already committed for this request");
        }
        return state;
    }

    private Optional<Object> pendingValue(WebContext context, RequestState state, SessionKey key) {
        if (state.draft != null) {
            return PendingValues.fromDraft(state.draft, key);
        }
        // The callback: the login is the one its state parameter names, and only while it is valid.
        return context.getRequestParameter(STATE_PARAMETER)
                .flatMap(stateValue -> pending(state, stateValue))
                .filter(data -> !data.isExpiredAt(now()))
                .flatMap(data -> PendingValues.fromLogin(data, key));
    }

    // Reading a pending login uses it up: its cookie is deleted at commit, whatever the callback's outcome,
    // because an authorization code can be exchanged only once anyway.
    private Optional<PendingLoginData> pending(RequestState state, String stateValue) {
        if (stateValue == null || stateValue.isEmpty()) {
            return Optional.empty();
        }
        Optional<PendingLoginData> found = state.pendingByState.computeIfAbsent(stateValue,
                value -> pendingLogins.find(state.incoming, value));
        if (found.isPresent() && !state.committed) {
            state.consumedPendingCookies.add(PendingLogins.cookieName(stateValue));
            state.validLoginUsed |= !found.get().isExpiredAt(now());
        }
        return found;
    }

    private static LinkedHashMap<String, UserProfile> profileMap(Object value) {
        LinkedHashMap<String, UserProfile> map = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> given) {
            given.forEach((key, profile) -> {
                if (key instanceof String name && profile instanceof UserProfile userProfile) {
                    map.put(name, userProfile);
                }
            });
        }
        return map;
    }

    private static void putRequestOnly(RequestState state, String key, Object value) {
        if (value == null) {
            state.requestOnly.remove(key);
        } else {
            state.requestOnly.put(key, value);
        }
    }

    private String newSessionId() {
        byte[] id = new byte[16];
        random.nextBytes(id);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }

    // Cookies keep milliseconds; so does every instant compared with them.
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
