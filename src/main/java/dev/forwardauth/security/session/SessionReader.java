package dev.forwardauth.security.session;

import dev.forwardauth.security.cache.DigestCache;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.pac4j.core.profile.UserProfile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the request's session cookie into {@link SessionData} and a pac4j profile, once per request; and,
 * since a browser sends the same cookie with every request until it is renewed, once per cookie value: the
 * opened session is kept by SHA-256 of the sealed value until the session expires. A value that does not open
 * is never cached, so an altered cookie is decrypted (and refused) every time; the secret is the store's own,
 * so one store's entries cannot answer for another's.
 */
final class SessionReader {
    /**
     * Sessions of this many browsers stay decoded; beyond it some are decoded again on their next request. An
     * entry holds the session's tokens and its ID token's claims, a few kilobytes: about 10 MB when full.
     */
    static final int MAX_CACHED_SESSIONS = 2048;

    private static final Logger LOG = LoggerFactory.getLogger(SessionReader.class);

    private final SessionCookies sessionCookies;
    private final OidcProfiles profiles;
    private final Clock clock;
    private final DigestCache<OpenedSession> opened;

    SessionReader(SessionCookies sessionCookies, OidcProfiles profiles, Clock clock) {
        this(sessionCookies, profiles, clock, MAX_CACHED_SESSIONS);
    }

    SessionReader(SessionCookies sessionCookies, OidcProfiles profiles, Clock clock, int maxCachedSessions) {
        this.sessionCookies = sessionCookies;
        this.profiles = profiles;
        this.clock = clock;
        this.opened = new DigestCache<>(maxCachedSessions, clock);
    }

    int cachedSessions() {
        return opened.size();
    }

    /** A session cookie that opened and whose ID token parsed; shared by every request that sends it. */
    private record OpenedSession(SessionData data, OidcProfiles.ProfileParts profile) {
    }

    Optional<SessionData> read(RequestState state) {
        if (!state.sessionRead) {
            state.sessionRead = true;
            Optional<OpenedSession> session = open(state.incoming, clock.instant().truncatedTo(ChronoUnit.MILLIS));
            if (session.isPresent()) {
                SessionData data = session.get().data();
                state.incomingSession = data;
                state.incomingProfiles = new LinkedHashMap<>(
                        Map.of(data.clientName(), OidcProfiles.toProfile(session.get().profile())));
            } else if (sessionCookies.present(state.incoming)) {
                // Never the value: it may be a valid token sealed under another secret.
                LOG.debug("Session cookie present but not valid (expired, altered or sealed with another secret)");
            }
        }
        return Optional.ofNullable(state.incomingSession);
    }

    /** The first value that opens, has not expired and holds a readable ID token. */
    private Optional<OpenedSession> open(IncomingCookies incoming, Instant now) {
        for (String sealed : sessionCookies.sealedValues(incoming)) {
            // The cache answers only until the session's own expiry; after that the value is opened again, and
            // refused below, as without a cache.
            OpenedSession cached = opened.get(sealed);
            if (cached != null) {
                return Optional.of(cached);
            }
            Optional<SessionData> data = sessionCookies.open(sealed).filter(d -> !d.isExpiredAt(now));
            Optional<OidcProfiles.ProfileParts> profile = data.flatMap(profiles::parts);
            if (profile.isPresent()) {
                OpenedSession session = new OpenedSession(data.get(), profile.get());
                opened.put(sealed, session, data.get().expiresAt());
                return Optional.of(session);
            }
        }
        return Optional.empty();
    }

    /** What pac4j sees under USER_PROFILES: this request's changes, else the cookie's profile. */
    Optional<LinkedHashMap<String, UserProfile>> currentProfiles(RequestState state) {
        if (state.profilesChanged || state.destroyed) {
            return Optional.of(state.profiles);
        }
        return read(state).map(data -> state.incomingProfiles);
    }
}
