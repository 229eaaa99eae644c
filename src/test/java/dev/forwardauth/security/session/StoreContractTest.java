package dev.forwardauth.security.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.openid.connect.sdk.Nonce;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pac4j.core.context.Cookie;
import org.pac4j.core.context.MockWebContext;
import org.pac4j.core.profile.ProfileManager;
import org.pac4j.core.util.Pac4jConstants;
import org.junit.jupiter.api.Test;
import org.pac4j.oidc.profile.OidcProfile;

/**
 * The cookie store through pac4j's own MockWebContext, the way any pac4j WebContext sees it: the Cookie objects
 * it hands over, what pac4j reads back, and what is never written.
 */
class StoreContractTest {
    private static final String CLIENT = Tokens.CLIENT_NAME;
    private static final String STATE_KEY = CLIENT + "$stateSessionParameter";
    private static final String NONCE_KEY = CLIENT + "$nonceSessionParameter";

    private final MutableClock clock = new MutableClock();
    private final CookieSessionStore store =
            new CookieSessionStore(SessionSettings.of(SessionCookieTest.SECRET, 43200, 300), clock);

    @Test
    void everyCookieSaysPathRootHttpOnlyAndSameSiteLaxItself() {
        MockWebContext login = MockWebContext.create();
        saveProfile(login, 600, "refresh");
        startLogin(login, "state-1");
        store.commit(login, CookieSettings.forDomain(true, "example.com"));

        assertEquals(2, login.getResponseCookies().size());
        for (Cookie cookie : login.getResponseCookies()) {
            assertEquals("/", cookie.getPath(), cookie.getName());
            assertEquals("Lax", cookie.getSameSitePolicy(), cookie.getName());
            assertTrue(cookie.isHttpOnly(), cookie.getName());
            assertTrue(cookie.isSecure(), cookie.getName());
            assertEquals("example.com", cookie.getDomain(), cookie.getName());
        }
    }

    @Test
    void destroyingTheSessionDeletesEveryChunkTheBrowserSent() {
        MockWebContext request = MockWebContext.create();
        for (String name : List.of("FORWARDAUTH", "FORWARDAUTH_1", "FORWARDAUTH_2", "FORWARDAUTH_3")) {
            request.getRequestCookies().add(new Cookie(name, "c4.stale"));
        }
        store.destroySession(request);
        store.commit(request, CookieSettings.hostOnly(true));

        assertEquals(List.of("FORWARDAUTH", "FORWARDAUTH_1", "FORWARDAUTH_2", "FORWARDAUTH_3"),
                request.getResponseCookies().stream().filter(cookie -> cookie.getMaxAge() == 0).map(Cookie::getName).toList());
    }

    @Test
    void destroyingTheSessionAlsoForgetsTheRequestOnlyValues() {
        MockWebContext request = MockWebContext.create();
        store.set(request, "pac4jCsrfToken", "csrf-value");
        assertEquals(Optional.of("csrf-value"), store.get(request, "pac4jCsrfToken"));

        store.destroySession(request);

        assertEquals(Optional.empty(), store.get(request, "pac4jCsrfToken"));
    }

    @Test
    void aLoginValueSetToNullIsGoneAndALoginWithoutStateWritesNoCookie() {
        MockWebContext request = MockWebContext.create();
        store.startLogin(request, "app.example.com");
        store.set(request, STATE_KEY, new State("state-1"));
        store.set(request, NONCE_KEY, new Nonce("nonce-1"));
        assertEquals(Optional.of("nonce-1"), store.get(request, NONCE_KEY));

        store.set(request, STATE_KEY, null);

        assertEquals(Optional.empty(), store.get(request, STATE_KEY));
        store.commit(request, CookieSettings.hostOnly(true));
        assertEquals(List.of(), List.copyOf(request.getResponseCookies()));
    }

    @Test
    void aLoginValueOfATypeTheCookieCannotCarryLivesForTheRequestOnly() {
        MockWebContext request = MockWebContext.create();
        store.startLogin(request, "app.example.com");
        store.set(request, STATE_KEY, 42);

        assertEquals(Optional.of(42), store.get(request, STATE_KEY));
        store.commit(request, CookieSettings.hostOnly(true));
        assertEquals(List.of(), List.copyOf(request.getResponseCookies()));
    }

    @Test
    void aSessionWhoseAccessTokenHasExpiredWithoutRefreshTokenIsNotWritten() {
        MockWebContext request = MockWebContext.create();
        saveProfile(request, -1, null);
        store.commit(request, CookieSettings.hostOnly(true));
        assertEquals(List.of(), List.copyOf(request.getResponseCookies()));
    }

    @Test
    void nestedClaimsOfTheIdTokenComeBackFromTheCookie() {
        MockWebContext login = MockWebContext.create();
        Instant now = clock.instant();
        OidcProfile profile = Tokens.profile(Tokens.idToken(now, Map.of("address", Map.of("country", "NO", "lines",
                List.of("Storgata 1")))), Tokens.accessToken(now, now.plusSeconds(600), 1), 600, null);
        new ProfileManager(login, store).save(true, profile, false);
        store.commit(login, CookieSettings.hostOnly(true));

        OidcProfile read = (OidcProfile) new ProfileManager(requestWith(login), store).getProfile().orElseThrow();

        assertEquals(Map.of("country", "NO", "lines", List.of("Storgata 1")), read.getAttribute("address"));
    }

    @Test
    void aLoginCookieAnswersOnlyTheStateItWasMadeFor() {
        SessionCrypto crypto = SessionCrypto.forPendingLogins(SessionCookieTest.SECRET, new SecureRandom());
        PendingLogins logins = new PendingLogins(crypto, Duration.ofMinutes(5));
        Instant now = clock.instant();
        PendingLoginData stateA = new PendingLoginData(CLIENT, "app.example.com", "state-A", "n", "v", "https://a/", now,
                now.plusSeconds(300));
        // Sealed for state-A, but under the cookie name of state-B: it opens, and must still not answer B.
        MockWebContext request = MockWebContext.create();
        request.getRequestCookies().add(new Cookie(PendingLogins.cookieName("state-B"),
                crypto.seal(PendingLogins.cookieName("state-B"), stateA.toBytes())));

        assertEquals(Optional.empty(), logins.find(IncomingCookies.from(request), "state-B"));
    }

    @Test
    void theOldestLoginIsDroppedWhateverOrderTheBrowserSendsTheCookiesIn() {
        MockWebContext browser = MockWebContext.create();
        for (int i = 1; i <= 5; i++) {
            MockWebContext start = MockWebContext.create();
            startLogin(start, "state-" + i);
            store.commit(start, CookieSettings.hostOnly(true));
            clock.advance(Duration.ofSeconds(1));
            // The browser sends the newest first.
            List<Cookie> sent = new java.util.ArrayList<>(List.copyOf(start.getResponseCookies()));
            sent.addAll(browser.getRequestCookies());
            browser.getRequestCookies().clear();
            browser.getRequestCookies().addAll(sent);
        }

        startLogin(browser, "state-6");
        store.commit(browser, CookieSettings.hostOnly(true));

        List<String> deleted = browser.getResponseCookies().stream().filter(cookie -> cookie.getMaxAge() == 0)
                .map(Cookie::getName).toList();
        assertEquals(List.of(PendingLogins.cookieName("state-1")), deleted);
    }

    @Test
    void theFoundStatusIsTheOnlyFoundOne() {
        assertTrue(new PendingLogin(PendingLogin.Status.FOUND, "a", "u", null).isFound());
        assertFalse(new PendingLogin(PendingLogin.Status.EXPIRED, "a", "u", null).isFound());
        assertFalse(PendingLogin.UNKNOWN.isFound());
    }

    @Test
    void printedSettingsAndSessionsNameWhatTheyHoldButNoSecret() {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        assertEquals("SessionSettings[secret=<redacted>, sessionMaxAge=PT12H, nonceMaxAge=PT5M]",
                SessionSettings.of(SessionCookieTest.SECRET, 43200, 300).toString());
        assertEquals("SessionData[client=c, profile=p, loginAt=" + at + ", expiresAt=" + at
                        + ", accessTokenExpiresAt=null, refreshToken=true]",
                new SessionData("c", "p", "ID", "ACCESS", null, 0, "REFRESH", at, at).toString());
        assertTrue(new SessionData("c", "p", "ID", "ACCESS", null, 0, null, at, at).toString().endsWith("refreshToken=false]"));
        assertEquals("PendingLoginData[client=c, app=app, startedAt=" + at + ", expiresAt=" + at + "]",
                new PendingLoginData("c", "app", "STATE", "NONCE", "VERIFIER", "https://u/", at, at).toString());
    }

    private void saveProfile(MockWebContext context, long expiresInSeconds, String refreshToken) {
        Instant now = clock.instant();
        OidcProfile profile = Tokens.profile(Tokens.idToken(now), Tokens.accessToken(now, now.plusSeconds(expiresInSeconds), 1),
                expiresInSeconds, refreshToken);
        new ProfileManager(context, store).save(true, profile, false);
    }

    private void startLogin(MockWebContext context, String state) {
        store.startLogin(context, "app.example.com");
        store.set(context, Pac4jConstants.REQUESTED_URL, "https://app.example.com/");
        store.set(context, STATE_KEY, new State(state));
        store.set(context, NONCE_KEY, "nonce-" + state);
    }

    private static MockWebContext requestWith(MockWebContext answered) {
        MockWebContext next = MockWebContext.create();
        for (Cookie cookie : answered.getResponseCookies()) {
            next.getRequestCookies().add(new Cookie(cookie.getName(), cookie.getValue()));
        }
        return next;
    }
}
