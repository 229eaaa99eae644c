package dev.forwardauth.security.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import dev.forwardauth.security.session.FakeHttp.Browser;
import dev.forwardauth.security.session.FakeHttp.Exchange;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pac4j.core.exception.http.FoundAction;
import org.pac4j.core.util.Pac4jConstants;
import org.pac4j.oidc.profile.OidcProfile;

class PendingLoginTest {

    private static final String CLIENT = "app-client";
    private static final String STATE_KEY = CLIENT + "$stateSessionParameter";
    private static final String NONCE_KEY = CLIENT + "$nonceSessionParameter";
    private static final String VERIFIER_KEY = CLIENT + "$codeVerifierSessionParameter";
    private static final String CALLBACK = "https://app.example.com/oauth2/signin";

    private final MutableClock clock = new MutableClock();
    private final CookieSessionStore store = new CookieSessionStore(SessionSettings.of(SessionCookieTest.SECRET, 43200, 300), clock);
    private final Browser browser = new Browser();

    @Test
    void aLoginStartedInOneRequestIsFinishedByTheCallbackCarryingItsState() {
        java.time.Instant validUntil = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).plusSeconds(300);
        Exchange start = startLogin("state-one", "app.example.com", "https://app.example.com/page?x=1");

        assertEquals(List.of(PendingLogins.cookieName("state-one")), FakeHttp.names(start.setCookies));
        Exchange callback = callback("state-one");

        assertEquals(new PendingLogin(PendingLogin.Status.FOUND, "app.example.com", "https://app.example.com/page?x=1",
                validUntil), store.lookup(callback.context(), "state-one"));
        assertEquals(Optional.of(new State("state-one")), store.get(callback.context(), STATE_KEY));
        assertEquals(Optional.of("nonce-state-one"), store.get(callback.context(), NONCE_KEY));
        assertEquals(Optional.of(new CodeVerifier(verifier("state-one"))), store.get(callback.context(), VERIFIER_KEY));
        assertEquals(Optional.of("https://app.example.com/page?x=1"), store.get(callback.context(), Pac4jConstants.REQUESTED_URL));
    }

    @Test
    void aReturnUrlTooLongForTheLoginCookieReturnsToThePageWithoutItsQuery() {
        // Browsers drop a cookie over 4096 bytes silently: the login would end as "unknown" at the callback.
        String page = "https://app.example.com/app/dashboards";
        Exchange start = startLogin("state-long", "app.example.com", page + "?_a=" + incompressible(4000) + "#top");

        String cookie = start.setCookies.get(0);
        assertTrue(cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';')).length() <= CookieChunks.MAX_CHUNK_LENGTH,
                cookie.length() + " characters");
        assertEquals(page, store.lookup(callback("state-long").context(), "state-long").requestedUrl());
    }

    @Test
    void aReturnUrlWhosePathAloneIsTooLongReturnsToTheSitesRoot() {
        startLogin("state-path", "app.example.com", "https://app.example.com:8443/" + incompressible(4000) + "?q=1");

        assertEquals("https://app.example.com:8443/",
                store.lookup(callback("state-path").context(), "state-path").requestedUrl());
    }

    @Test
    void aReturnUrlThatFitsIsKeptWhole() {
        String url = "https://app.example.com/search?q=" + incompressible(1500);
        startLogin("state-fits", "app.example.com", url);

        assertEquals(url, store.lookup(callback("state-fits").context(), "state-fits").requestedUrl());
    }

    private static String incompressible(int length) {
        byte[] random = new byte[length];
        new java.security.SecureRandom().nextBytes(random);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random).substring(0, length);
    }

    @Test
    void namesTheCookieFromTheStateHash() {
        String name = PendingLogins.cookieName("state-one");

        assertTrue(name.matches("FORWARDAUTH_LOGIN_[A-Za-z0-9_-]{16}"), name);
        assertFalse(name.equals(PendingLogins.cookieName("state-two")));
    }

    @Test
    void twoLoginsStartedSideBySideAreEachFoundByTheirOwnState() {
        startLogin("state-one", "one.example.com", "https://one.example.com/");
        startLogin("state-two", "two.example.com", "https://two.example.com/");

        assertEquals(2, browser.jar.size());
        assertEquals("one.example.com", store.lookup(callback("state-one").context(), "state-one").appName());
        assertEquals("two.example.com", store.lookup(callback("state-two").context(), "state-two").appName());
        assertEquals(Optional.of("nonce-state-two"), store.get(callback("state-two").context(), NONCE_KEY));
    }

    @Test
    void aStateWorksOnlyOnceBecauseTheCallbackDeletesItsCookie() {
        startLogin("state-one", "app.example.com", "https://app.example.com/");
        Exchange first = callback("state-one");

        assertTrue(store.lookup(first.context(), "state-one").isFound());
        store.commit(first.context(), CookieSettings.hostOnly(true));
        browser.receive(first);

        assertTrue(browser.jar.isEmpty());
        Exchange replay = callback("state-one");
        assertEquals(PendingLogin.UNKNOWN, store.lookup(replay.context(), "state-one"));
        assertTrue(store.get(replay.context(), STATE_KEY).isEmpty());
    }

    @Test
    void anExpiredLoginIsReportedAsExpiredAndYieldsNothingToPac4j() {
        java.time.Instant validUntil = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).plusSeconds(300);
        startLogin("state-one", "app.example.com", "https://app.example.com/page");
        clock.advance(Duration.ofSeconds(300));
        Exchange late = callback("state-one");

        assertEquals(new PendingLogin(PendingLogin.Status.EXPIRED, "app.example.com", "https://app.example.com/page",
                validUntil), store.lookup(late.context(), "state-one"));
        assertTrue(store.get(late.context(), STATE_KEY).isEmpty());
        assertTrue(store.get(late.context(), NONCE_KEY).isEmpty());
        store.commit(late.context(), CookieSettings.hostOnly(true));
        assertEquals("0", FakeHttp.attributes(late.setCookies.get(0)).get("max-age"));
    }

    @Test
    void anUnknownForgedOrMissingStateIsUnknown() {
        startLogin("state-one", "app.example.com", "https://app.example.com/");
        Exchange exchange = callback("state-two");
        exchange.cookie(PendingLogins.cookieName("state-two"), browser.jar.values().iterator().next());

        assertEquals(PendingLogin.UNKNOWN, store.lookup(exchange.context(), "state-two"));
        assertEquals(PendingLogin.UNKNOWN, store.lookup(exchange.context(), ""));
        assertEquals(PendingLogin.UNKNOWN, store.lookup(exchange.context(), null));
    }

    @Test
    void aLoginStartedByOneClientCannotBeReadByAnother() {
        startLogin("state-one", "app.example.com", "https://app.example.com/");
        Exchange callback = callback("state-one");

        assertTrue(store.get(callback.context(), "other-client$stateSessionParameter").isEmpty());
        assertTrue(store.get(callback.context(), "other-client$nonceSessionParameter").isEmpty());
        assertTrue(store.get(callback.context(), STATE_KEY).isPresent());
    }

    @Test
    void aPendingLoginCookieIsNeverASession() {
        startLogin("state-one", "app.example.com", "https://app.example.com/");
        Exchange exchange = new Exchange().cookie("FORWARDAUTH", browser.jar.values().iterator().next());

        assertTrue(store.get(exchange.context(), Pac4jConstants.USER_PROFILES).isEmpty());
    }

    @Test
    void keepsAtMostFiveLoginsDroppingTheOldest() {
        for (int i = 1; i <= 6; i++) {
            startLogin("state-" + i, "app.example.com", "https://app.example.com/" + i);
            clock.advance(Duration.ofSeconds(1));
        }

        assertEquals(5, browser.jar.size());
        assertFalse(browser.jar.containsKey(PendingLogins.cookieName("state-1")));
        assertTrue(store.lookup(callback("state-2").context(), "state-2").isFound());
        assertTrue(store.lookup(callback("state-6").context(), "state-6").isFound());
    }

    @Test
    void endLoginDeletesTheCookieEvenWhenPac4jNeverReadIt() {
        startLogin("state-one", "app.example.com", "https://app.example.com/");
        Exchange failed = callback("state-one");

        store.endLogin(failed.context(), "state-one");
        store.commit(failed.context(), CookieSettings.hostOnly(true));
        browser.receive(failed);

        assertTrue(browser.jar.isEmpty());
    }

    @Test
    void aRedirectActionIsKeptAsItsLocationAndNothingIsWrittenWithoutAState() {
        Exchange ajax = browser.get("https://app.example.com/authorize");
        store.startLogin(ajax.context(), "app.example.com");
        store.set(ajax.context(), Pac4jConstants.REQUESTED_URL, new FoundAction("https://app.example.com/a"));

        assertEquals(Optional.of("https://app.example.com/a"), store.get(ajax.context(), Pac4jConstants.REQUESTED_URL));
        store.set(ajax.context(), Pac4jConstants.REQUESTED_URL, null);
        store.commit(ajax.context(), CookieSettings.hostOnly(true));

        assertTrue(ajax.setCookies.isEmpty());
    }

    @Test
    void aNewLoginLeavesTheSessionCookieAlone() {
        browser.jar.put("FORWARDAUTH", "v1.whatever");
        Exchange start = startLogin("state-one", "app.example.com", "https://app.example.com/");

        assertNull(start.setCookie("FORWARDAUTH="));
        assertTrue(browser.jar.containsKey("FORWARDAUTH"));
    }

    @Test
    void aCompletedLoginStartsAFreshSessionPeriodEvenOverAnOlderSessionOfTheSameUser() {
        saveSession(browser.get(CALLBACK));
        clock.advance(Duration.ofHours(10));
        startLogin("state-one", "app.example.com", "https://app.example.com/");

        Exchange callback = callback("state-one");
        assertTrue(store.get(callback.context(), STATE_KEY).isPresent());
        saveSession(callback);

        assertEquals("43200", FakeHttp.attributes(callback.setCookie("FORWARDAUTH")).get("max-age"));
    }

    @Test
    void aLoginWhoseSessionIsTooLargeWritesNoSessionButStillUsesUpItsPendingLogin() {
        startLogin("state-one", "app.example.com", "https://app.example.com/");
        Exchange callback = callback("state-one");
        assertTrue(store.lookup(callback.context(), "state-one").isFound());
        java.time.Instant now = clock.instant();
        byte[] noise = new byte[9000];
        new java.security.SecureRandom().nextBytes(noise);
        new org.pac4j.core.profile.ProfileManager(callback.context(), store).save(true, Tokens.profile(Tokens.idToken(now),
                java.util.Base64.getUrlEncoder().encodeToString(noise), 600, null), false);

        SessionNotWrittenException error = assertThrows(SessionNotWrittenException.class,
                () -> store.commit(callback.context(), CookieSettings.hostOnly(true)));
        store.commit(callback.context(), CookieSettings.hostOnly(true));
        browser.receive(callback);

        assertTrue(error.getMessage().startsWith("the tokens are too large for the session cookie: "), error.getMessage());
        assertEquals(List.of(PendingLogins.cookieName("state-one")), FakeHttp.names(callback.setCookies));
        assertTrue(browser.jar.isEmpty(), browser.jar.toString());
    }

    @Test
    void aLoginWhoseAccessTokenExpiredBeforeItsCookieWasWrittenFailsRatherThanWriteNoSession() {
        startLogin("state-one", "app.example.com", "https://app.example.com/");
        Exchange callback = callback("state-one");
        assertTrue(store.lookup(callback.context(), "state-one").isFound());
        java.time.Instant now = clock.instant();
        OidcProfile profile = Tokens.profile(Tokens.idToken(now), Tokens.accessToken(now, now.plusSeconds(1), 3), 1, null);
        profile.setExpiration(java.util.Date.from(now.minusSeconds(1)));
        new org.pac4j.core.profile.ProfileManager(callback.context(), store).save(true, profile, false);

        SessionNotWrittenException error = assertThrows(SessionNotWrittenException.class,
                () -> store.commit(callback.context(), CookieSettings.hostOnly(true)));
        store.commit(callback.context(), CookieSettings.hostOnly(true));

        assertTrue(error.getMessage().contains("already expired"), error.getMessage());
        assertEquals(List.of(PendingLogins.cookieName("state-one")), FakeHttp.names(callback.setCookies));
        assertEquals("0", FakeHttp.attributes(callback.setCookies.get(0)).get("max-age"));
    }

    private void saveSession(Exchange exchange) {
        java.time.Instant now = clock.instant();
        new org.pac4j.core.profile.ProfileManager(exchange.context(), store).save(true, Tokens.profile(Tokens.idToken(now),
                Tokens.accessToken(now, now.plusSeconds(600), 3), 600, "refresh-token"), false);
        store.commit(exchange.context(), CookieSettings.hostOnly(true));
        browser.receive(exchange);
    }

    // What pac4j does on /authorize: saves the requested URL, then sets state, nonce and PKCE verifier.
    private Exchange startLogin(String state, String appName, String requestedUrl) {
        Exchange exchange = browser.get("https://app.example.com/authorize");
        store.startLogin(exchange.context(), appName);
        store.set(exchange.context(), Pac4jConstants.REQUESTED_URL, requestedUrl);
        store.set(exchange.context(), STATE_KEY, new State(state));
        store.set(exchange.context(), NONCE_KEY, "nonce-" + state);
        store.set(exchange.context(), VERIFIER_KEY, new CodeVerifier(verifier(state)));
        store.commit(exchange.context(), CookieSettings.hostOnly(true));
        browser.receive(exchange);
        return exchange;
    }

    private Exchange callback(String state) {
        return browser.get(CALLBACK + "?code=abc&state=" + state).parameter("state", state).parameter("code", "abc");
    }

    private static String verifier(String state) {
        return (state + "-verifier-").repeat(6).substring(0, 50);
    }
}
