package dev.forwardauth.security.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forwardauth.security.session.FakeHttp.Exchange;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.pac4j.oidc.profile.OidcProfile;

/**
 * The opened-session cache behind the cookie store: one decode per cookie value, a fresh profile per request,
 * never an answer for a value that does not open or a session that has expired, and bounded.
 */
class SessionCacheTest {
    private static final String SECRET = "a-session-secret-of-more-than-32-characters";

    private final MutableClock clock = new MutableClock();
    private final SessionCrypto crypto = SessionCrypto.forSessions(SECRET, new SecureRandom());
    private final SessionReader reader = new SessionReader(new SessionCookies(crypto), new OidcProfiles(), clock, 16);
    private final Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    private final SessionData session = new SessionData(Tokens.CLIENT_NAME, Tokens.SUBJECT, Tokens.idToken(now),
            Tokens.accessToken(now, now.plusSeconds(3600), 3), now.plusSeconds(3600), 0, "rt", now, now.plusSeconds(600));

    @Test
    void aCookieIsOpenedOnceAndEachRequestGetsItsOwnProfile() {
        String sealed = seal(session);
        RequestState first = request(sealed);
        RequestState second = request(sealed);

        assertSame(reader.read(first).orElseThrow(), reader.read(second).orElseThrow(), "opened once");
        assertEquals(1, reader.cachedSessions());
        OidcProfile one = profile(first);
        OidcProfile other = profile(second);
        assertNotSame(one, other);
        assertEquals(one.getAttributes(), other.getAttributes());
        assertEquals(session.accessToken(), one.getAccessToken().getValue());
        assertEquals("rt", one.getRefreshToken().getValue());
    }

    @Test
    void whatPac4jChangesInOneRequestsProfileDoesNotReachTheNext() {
        String sealed = seal(session);
        OidcProfile changed = profile(readIn(request(sealed)));
        changed.addAttribute("email", "mallory@example.com");
        changed.removeLoginData();

        OidcProfile next = profile(readIn(request(sealed)));

        assertEquals("alexandra.montgomery-whitfield@example.com", next.getEmail());
        assertEquals(session.accessToken(), next.getAccessToken().getValue());
        assertEquals(session.idToken(), next.getIdTokenString());
    }

    @Test
    void aCachedSessionEndsAtItsExpiryAsAnUncachedOneWould() {
        String sealed = seal(session);
        assertTrue(reader.read(request(sealed)).isPresent());

        clock.advance(Duration.ofSeconds(599));
        assertTrue(reader.read(request(sealed)).isPresent());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(reader.read(request(sealed)).isEmpty());
    }

    @Test
    void anAlteredValueIsNoSessionWhileTheRealOneIsCached() {
        String sealed = seal(session);
        assertTrue(reader.read(request(sealed)).isPresent());
        char last = sealed.charAt(sealed.length() - 5);
        String altered = sealed.substring(0, sealed.length() - 5) + (last == 'A' ? 'B' : 'A')
                + sealed.substring(sealed.length() - 4);

        assertTrue(reader.read(request(altered)).isEmpty());
        assertTrue(reader.read(request(sealed.substring(0, sealed.length() - 1))).isEmpty());
        assertEquals(1, reader.cachedSessions(), "refused values are not cached");
    }

    @Test
    void aSessionSealedUnderAnotherSecretIsNotAnsweredFromThisCache() {
        String sealed = seal(session);
        assertTrue(reader.read(request(sealed)).isPresent());
        SessionReader foreign = new SessionReader(new SessionCookies(SessionCrypto.forSessions(
                "another-secret-of-more-than-32-characters", new SecureRandom())), new OidcProfiles(), clock, 16);

        assertTrue(foreign.read(request(sealed)).isEmpty());
    }

    @Test
    void staysBoundedHoweverManySessionsCome() {
        for (int i = 0; i < 200; i++) {
            // The same session sealed again is another value (fresh nonce), as each login's cookie is.
            assertTrue(reader.read(request(seal(session))).isPresent());
            assertTrue(reader.cachedSessions() <= 16, "size " + reader.cachedSessions());
        }
    }

    @Test
    void anExpiredSessionIsNotCachedAtAll() {
        SessionData expired = new SessionData(session.clientName(), session.profileId(), session.idToken(),
                session.accessToken(), session.accessTokenExpiresAt(), 0, null, now.minusSeconds(60), now);

        assertTrue(reader.read(request(seal(expired))).isEmpty());
        assertEquals(0, reader.cachedSessions());
    }

    private String seal(SessionData data) {
        return crypto.seal(SessionCookies.NAME, data.toBytes());
    }

    private static RequestState request(String sealed) {
        return new RequestState(IncomingCookies.from(new Exchange().cookie(SessionCookies.NAME, sealed).context()));
    }

    private RequestState readIn(RequestState state) {
        reader.read(state);
        return state;
    }

    private OidcProfile profile(RequestState state) {
        assertTrue(reader.read(state).isPresent());
        OidcProfile profile = (OidcProfile) state.incomingProfiles.values().iterator().next();
        assertNull(profile.getAttribute("sub"), "sub is the profile id, never an attribute");
        return profile;
    }
}
