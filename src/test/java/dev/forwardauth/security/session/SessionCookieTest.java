package dev.forwardauth.security.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forwardauth.security.session.FakeHttp.Browser;
import dev.forwardauth.security.session.FakeHttp.Exchange;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pac4j.core.profile.ProfileManager;
import org.pac4j.core.util.Pac4jConstants;
import org.pac4j.oidc.profile.OidcProfile;

class SessionCookieTest {

    static final String SECRET = "a-session-secret-of-more-than-32-characters";
    static final String URL = "https://app.example.com/authorize";

    private final MutableClock clock = new MutableClock();
    private final CookieSessionStore store = new CookieSessionStore(SessionSettings.of(SECRET, 43200, 300), clock);
    private final Browser browser = new Browser();

    @Test
    void aSavedProfileComesBackFromTheCookieAsPac4jSavedIt() {
        OidcProfile saved = login(3600, Tokens.refreshToken());

        OidcProfile read = (OidcProfile) profileManager(browser.get(URL)).getProfile().orElseThrow();

        assertEquals(saved.getId(), read.getId());
        assertEquals(Tokens.CLIENT_NAME, read.getClientName());
        assertEquals(saved.getIdTokenString(), read.getIdTokenString());
        assertEquals(saved.getAccessToken().getValue(), read.getAccessToken().getValue());
        assertEquals(saved.getRefreshToken(), read.getRefreshToken());
        assertEquals(saved.getExpiration(), read.getExpiration());
        assertEquals(saved.getEmail(), read.getEmail());
        assertEquals(saved.getDisplayName(), read.getDisplayName());
        assertEquals(saved.getPictureUrl(), read.getPictureUrl());
        assertEquals(saved.getEmailVerified(), read.getEmailVerified());
        assertEquals(saved.getAttribute("aud"), read.getAttribute("aud"));
        assertEquals(saved.getAttribute("exp"), read.getAttribute("exp"));
        assertEquals(saved.getAttributes().keySet(), read.getAttributes().keySet());
        assertFalse(read.isExpired());
    }

    @Test
    void aSessionWhoseAccessTokenExpiredIsStillReadSoPac4jCanRenewIt() {
        login(-1, Tokens.refreshToken());

        OidcProfile read = readProfile().orElseThrow();

        assertTrue(read.isExpired());
        assertTrue(read.getRefreshToken() != null);
    }

    @Test
    void withoutARefreshTokenTheSessionEndsWithTheAccessToken() {
        Exchange login = loginExchange(600, null);

        assertEquals("600", FakeHttp.attributes(login.setCookie("FORWARDAUTH")).get("max-age"));
        clock.advance(Duration.ofSeconds(599));
        assertTrue(readProfile().isPresent());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(readProfile().isEmpty());
    }

    @Test
    void withARefreshTokenTheSessionLastsSessionMaxAgeAndNotASecondMore() {
        Exchange login = loginExchange(600, Tokens.refreshToken());

        assertEquals("43200", FakeHttp.attributes(login.setCookie("FORWARDAUTH")).get("max-age"));
        clock.advance(Duration.ofSeconds(43199));
        assertTrue(store.get(browser.get(URL).context(), Pac4jConstants.USER_PROFILES).isPresent());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(store.get(browser.get(URL).context(), Pac4jConstants.USER_PROFILES).isEmpty());
    }

    @Test
    void aRenewalKeepsTheLoginTimeSoTheSessionCannotBeStretched() {
        login(600, Tokens.refreshToken());
        clock.advance(Duration.ofHours(10));

        Exchange renewal = browser.get(URL);
        OidcProfile renewed = Tokens.profile(Tokens.idToken(clock.instant()),
                Tokens.accessToken(clock.instant(), clock.instant().plusSeconds(3600), 20), 3600, Tokens.refreshToken());
        store.get(renewal.context(), Pac4jConstants.USER_PROFILES);
        profileManager(renewal).save(true, renewed, false);
        store.commit(renewal.context(), CookieSettings.hostOnly(true));

        assertEquals(String.valueOf(2 * 3600), FakeHttp.attributes(renewal.setCookie("FORWARDAUTH")).get("max-age"));
    }

    @Test
    void anExpiredAlteredOrForeignCookieIsNoSessionAndIsDeleted() {
        login(600, Tokens.refreshToken());
        String value = browser.jar.get("FORWARDAUTH");
        char last = value.charAt(value.length() - 10);
        String altered = value.substring(0, value.length() - 10) + (last == 'A' ? 'B' : 'A') + value.substring(value.length() - 9);
        CookieSessionStore foreign = new CookieSessionStore(SessionSettings.of("another-secret-of-more-than-32-characters", 43200, 300), clock);

        for (String cookie : List.of(altered, "garbage", value.substring(0, 100))) {
            Exchange exchange = new Exchange().cookie("FORWARDAUTH", cookie);
            assertTrue(profileManager(exchange).getProfile().isEmpty());
            store.commit(exchange.context(), CookieSettings.hostOnly(true));
            assertEquals("0", FakeHttp.attributes(exchange.setCookie("FORWARDAUTH")).get("max-age"));
        }
        assertTrue(new ProfileManager(browser.get(URL).context(), foreign).getProfile().isEmpty());
    }

    @Test
    void readsTheCookieOncePerRequestAndWritesNothingWhenNothingChanged() {
        login(600, Tokens.refreshToken());
        Exchange exchange = browser.get(URL);

        Optional<Object> first = store.get(exchange.context(), Pac4jConstants.USER_PROFILES);
        Optional<Object> second = store.get(exchange.context(), Pac4jConstants.USER_PROFILES);
        store.commit(exchange.context(), CookieSettings.hostOnly(true));

        assertTrue(first.isPresent());
        assertTrue(((java.util.Map<?, ?>) first.get()).values().iterator().next()
                == ((java.util.Map<?, ?>) second.get()).values().iterator().next(), "same decoded profile");
        assertTrue(exchange.setCookies.isEmpty());
    }

    @Test
    void removingTheProfilesDeletesTheCookie() {
        login(600, Tokens.refreshToken());
        Exchange logout = browser.get(URL);

        profileManager(logout).removeProfiles();
        store.commit(logout.context(), CookieSettings.hostOnly(true));
        browser.receive(logout);

        assertFalse(browser.jar.containsKey("FORWARDAUTH"));
    }

    @Test
    void destroyingTheSessionDeletesEveryCookieOfOurs() {
        browser.jar.put("FORWARDAUTH", "c2.x");
        browser.jar.put("FORWARDAUTH_1", "y");
        browser.jar.put("FORWARDAUTH_LOGIN_abcdefghijklmnop", "z");
        browser.jar.put("OTHER", "kept");
        Exchange signout = browser.get(URL);

        assertTrue(store.destroySession(signout.context()));
        store.commit(signout.context(), CookieSettings.hostOnly(true));
        browser.receive(signout);

        assertEquals(List.of("OTHER"), browser.names());
    }

    @Test
    void hasASessionIdOnlyWhenThereIsASessionOrOneIsAskedFor() {
        assertTrue(store.getSessionId(browser.get(URL).context(), false).isEmpty());
        assertTrue(store.getSessionId(browser.get(URL).context(), true).isPresent());
        login(600, null);
        Exchange exchange = browser.get(URL);
        String id = store.getSessionId(exchange.context(), false).orElseThrow();

        assertTrue(store.renewSession(exchange.context()));
        assertNotNull(store.getSessionId(exchange.context(), false).orElseThrow());
        assertFalse(id.equals(store.getSessionId(exchange.context(), false).orElseThrow()));
        assertTrue(store.getTrackableSession(exchange.context()).isEmpty());
    }

    @Test
    void otherPac4jKeysLiveForTheRequestOnly() {
        Exchange exchange = browser.get(URL);
        store.set(exchange.context(), Pac4jConstants.CSRF_TOKEN, "csrf");
        store.set(exchange.context(), "app$attemptedAuthentication", "true");

        assertEquals(Optional.of("csrf"), store.get(exchange.context(), Pac4jConstants.CSRF_TOKEN));
        store.commit(exchange.context(), CookieSettings.hostOnly(true));
        browser.receive(exchange);

        assertTrue(exchange.setCookies.isEmpty());
        assertTrue(store.get(browser.get(URL).context(), Pac4jConstants.CSRF_TOKEN).isEmpty());
    }

    @Test
    void refusesChangesAfterCommitAndCommitsOnlyOnce() {
        Exchange exchange = browser.get(URL);
        profileManager(exchange).save(true, Tokens.profile(Tokens.idToken(clock.instant()),
                Tokens.accessToken(clock.instant(), clock.instant().plusSeconds(60), 1), 60, null), false);
        store.commit(exchange.context(), CookieSettings.hostOnly(true));
        store.commit(exchange.context(), CookieSettings.hostOnly(true));

        assertEquals(1, exchange.setCookies.size());
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> store.set(exchange.context(), Pac4jConstants.USER_PROFILES, null));
        assertEquals("session already committed for this request", error.getMessage());
    }

    @Test
    void aSessionCookieIsNotReadByAStoreWithAnotherSecretOnTheSameRequest() {
        login(600, null);
        Exchange exchange = browser.get(URL);
        CookieSessionStore foreign = new CookieSessionStore(SessionSettings.of("another-secret-of-more-than-32-characters", 43200, 300), clock);

        assertTrue(store.get(exchange.context(), Pac4jConstants.USER_PROFILES).isPresent());
        assertTrue(foreign.get(exchange.context(), Pac4jConstants.USER_PROFILES).isEmpty());
        assertNull(exchange.setCookie("FORWARDAUTH"));
    }

    private OidcProfile login(long expiresIn, String refreshToken) {
        Exchange exchange = loginExchange(expiresIn, refreshToken);
        return (OidcProfile) ((java.util.Map<?, ?>) store.get(exchange.context(), Pac4jConstants.USER_PROFILES).orElseThrow())
                .values().iterator().next();
    }

    private Exchange loginExchange(long expiresIn, String refreshToken) {
        Instant now = clock.instant();
        OidcProfile profile = Tokens.profile(Tokens.idToken(now), Tokens.accessToken(now, now.plusSeconds(expiresIn), 20),
                expiresIn, refreshToken);
        // pac4j computes it from the real time; pin it to the test clock's.
        profile.setExpiration(java.util.Date.from(now.plusSeconds(expiresIn)));
        Exchange exchange = browser.get("https://app.example.com/oauth2/signin");
        profileManager(exchange).save(true, profile, false);
        store.commit(exchange.context(), CookieSettings.hostOnly(true));
        browser.receive(exchange);
        return exchange;
    }

    // Straight from the store: a ProfileManager without a Config drops an expired profile at once.
    private Optional<OidcProfile> readProfile() {
        return store.get(browser.get(URL).context(), Pac4jConstants.USER_PROFILES)
                .map(profiles -> (OidcProfile) ((java.util.Map<?, ?>) profiles).values().iterator().next());
    }

    private ProfileManager profileManager(Exchange exchange) {
        return new ProfileManager(exchange.context(), store);
    }
}
