package dev.forwardauth.security.session;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.pac4j.core.profile.UserProfile;
import org.pac4j.oidc.profile.OidcProfile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Decodes the request's session cookie into {@link SessionData} and a pac4j profile, once per request. */
final class SessionReader {

    private static final Logger LOG = LoggerFactory.getLogger(SessionReader.class);

    private final SessionCookies sessionCookies;
    private final OidcProfiles profiles;
    private final Clock clock;

    SessionReader(SessionCookies sessionCookies, OidcProfiles profiles, Clock clock) {
        this.sessionCookies = sessionCookies;
        this.profiles = profiles;
        this.clock = clock;
    }

    Optional<SessionData> read(RequestState state) {
        if (!state.sessionRead) {
            state.sessionRead = true;
            Optional<SessionData> data = sessionCookies.read(state.incoming, clock.instant().truncatedTo(ChronoUnit.MILLIS));
            Optional<OidcProfile> profile = data.flatMap(profiles::toProfile);
            if (profile.isPresent()) {
                state.incomingSession = data.get();
                state.incomingProfiles = new LinkedHashMap<>(Map.of(data.get().clientName(), profile.get()));
            } else if (sessionCookies.present(state.incoming)) {
                // Never the value: it may be a valid token sealed under another secret.
                LOG.debug("Session cookie present but not valid (expired, altered or sealed with another secret)");
            }
        }
        return Optional.ofNullable(state.incomingSession);
    }

    /** What pac4j sees under USER_PROFILES: this request's changes, else the cookie's profile. */
    Optional<LinkedHashMap<String, UserProfile>> currentProfiles(RequestState state) {
        if (state.profilesChanged || state.destroyed) {
            return Optional.of(state.profiles);
        }
        return read(state).map(data -> state.incomingProfiles);
    }
}
