package dev.forwardauth.security.session;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.pac4j.core.context.Cookie;
import org.pac4j.core.profile.UserProfile;
import org.pac4j.oidc.profile.OidcProfile;

/** Turns one request's session changes into the Set-Cookie headers that carry them to the browser. */
final class ResponseCookies {

    private final SessionCookies sessionCookies;
    private final PendingLogins pendingLogins;
    private final OidcProfiles profiles;
    private final SessionReader reader;
    private final Duration sessionMaxAge;

    ResponseCookies(SessionCookies sessionCookies, PendingLogins pendingLogins, OidcProfiles profiles,
            SessionReader reader, Duration sessionMaxAge) {
        this.sessionCookies = sessionCookies;
        this.pendingLogins = pendingLogins;
        this.profiles = profiles;
        this.reader = reader;
        this.sessionMaxAge = sessionMaxAge;
    }

    List<Cookie> of(RequestState state, CookieSettings settings, Instant now) {
        List<Cookie> cookies = new ArrayList<>(session(state, settings, now));
        cookies.addAll(pendingLogins(state, settings, now));
        return cookies;
    }

    private List<Cookie> session(RequestState state, CookieSettings settings, Instant now) {
        boolean present = sessionCookies.present(state.incoming);
        if (state.profilesChanged) {
            Optional<SessionData> data = newSessionData(state, now);
            if (data.isPresent()) {
                return sessionCookies.write(data.get(), state.incoming, settings, now);
            }
            if (state.validLoginUsed && oidcProfile(state).isPresent()) {
                // A login that completed but leaves no session (its tokens expired between the check at the
                // callback and now): failing here is what keeps the answer from being a 302 without a session.
                throw SessionNotWrittenException.expired();
            }
            return present ? sessionCookies.delete(state.incoming, settings) : List.of();
        }
        // Destroyed, or a cookie we read and could not use (expired, another secret): remove it.
        if (present && (state.destroyed || (state.sessionRead && state.incomingSession == null))) {
            return sessionCookies.delete(state.incoming, settings);
        }
        return List.of();
    }

    // A renewal (same user, no login completed in this request) keeps the login time, so refreshing
    // tokens can never stretch a session past session-max-age.
    private Optional<SessionData> newSessionData(RequestState state, Instant now) {
        Optional<UserProfile> profile = oidcProfile(state);
        if (profile.isEmpty()) {
            return Optional.empty();
        }
        Optional<SessionData> previous = reader.read(state);
        boolean renewal = previous.isPresent() && !state.validLoginUsed
                && previous.get().profileId().equals(profile.get().getId())
                && previous.get().clientName().equals(profile.get().getClientName());
        Instant loginAt = renewal ? previous.get().loginAt() : now;
        return profiles.toSessionData(profile.get(), loginAt, loginAt.plus(sessionMaxAge))
                .filter(data -> data.expiresAt().isAfter(now));
    }

    private static Optional<UserProfile> oidcProfile(RequestState state) {
        return state.profiles.values().stream().filter(OidcProfile.class::isInstance).findFirst();
    }

    private List<Cookie> pendingLogins(RequestState state, CookieSettings settings, Instant now) {
        Set<String> deleted = state.incoming.namesStartingWith(PendingLogins.PREFIX);
        if (!state.destroyed) {
            deleted.retainAll(state.consumedPendingCookies);
        }
        List<Cookie> cookies = new ArrayList<>();
        deleted.forEach(name -> cookies.add(settings.deletion(name)));
        RequestState.LoginDraft draft = state.draft;
        if (draft != null && draft.state != null) {
            PendingLoginData data = new PendingLoginData(draft.clientName, draft.appName, draft.state, draft.nonce,
                    draft.codeVerifier, draft.requestedUrl, now, pendingLogins.expiryFor(now));
            cookies.addAll(pendingLogins.write(data, state.incoming, deleted, settings));
        }
        return cookies;
    }
}
