package dev.forwardauth.security.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.oauth2.sdk.id.State;
import dev.forwardauth.config.ForwardAuthConfig;
import dev.forwardauth.security.session.FakeHttp.Browser;
import dev.forwardauth.security.session.FakeHttp.Exchange;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;
import org.pac4j.core.profile.ProfileManager;
import org.pac4j.core.util.Pac4jConstants;
import org.pac4j.oidc.profile.OidcProfile;

/**
 * The largest nonce-max-age and session-max-age the config check accepts work at run time: a login started
 * then finishes, a session saved then is read back, each until its limit and not a second longer. Before the
 * limits, values the check passed overflowed an Instant at the first login (500) or sign-in (400).
 */
class LongestAcceptedAgesTest {
    private static final String STATE_KEY = Tokens.CLIENT_NAME + "$stateSessionParameter";
    private static final Duration NONCE_MAX_AGE = Duration.ofSeconds(ForwardAuthConfig.MAX_NONCE_MAX_AGE_SECONDS);
    private static final Duration SESSION_MAX_AGE = Duration.ofSeconds(ForwardAuthConfig.MAX_SESSION_MAX_AGE_SECONDS);

    private final MutableClock clock = new MutableClock();
    private final CookieSessionStore store = new CookieSessionStore(new SessionSettings(SessionCookieTest.SECRET,
            SESSION_MAX_AGE, NONCE_MAX_AGE), clock);
    private final Browser browser = new Browser();

    @Test
    void aLoginStartedWithTheLongestNonceMaxAgeFinishesUntilItEnds() {
        Exchange start = browser.get("https://app.example.com/authorize");
        store.startLogin(start.context(), "app.example.com");
        store.set(start.context(), STATE_KEY, new State("state-one"));
        store.commit(start.context(), CookieSettings.hostOnly(true));
        browser.receive(start);

        assertEquals(String.valueOf(NONCE_MAX_AGE.plus(PendingLogins.EXPIRED_GRACE).toSeconds()),
                FakeHttp.attributes(start.setCookies.get(0)).get("max-age"));
        clock.advance(NONCE_MAX_AGE.minusSeconds(1));
        assertTrue(store.lookup(callback().context(), "state-one").isFound());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(PendingLogin.Status.EXPIRED, store.lookup(callback().context(), "state-one").status());
    }

    @Test
    void aSessionSavedWithTheLongestSessionMaxAgeIsReadUntilItEnds() {
        Instant now = clock.instant();
        OidcProfile profile = Tokens.profile(Tokens.idToken(now), Tokens.accessToken(now, now.plusSeconds(600), 20),
                600, Tokens.refreshToken());
        profile.setExpiration(Date.from(now.plusSeconds(600)));
        Exchange signin = browser.get("https://app.example.com/oauth2/signin");
        new ProfileManager(signin.context(), store).save(true, profile, false);
        store.commit(signin.context(), CookieSettings.hostOnly(true));
        browser.receive(signin);

        assertEquals(String.valueOf(SESSION_MAX_AGE.toSeconds()),
                FakeHttp.attributes(signin.setCookie("FORWARDAUTH")).get("max-age"));
        clock.advance(SESSION_MAX_AGE.minusSeconds(1));
        assertTrue(store.get(browser.get(SessionCookieTest.URL).context(), Pac4jConstants.USER_PROFILES).isPresent());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(store.get(browser.get(SessionCookieTest.URL).context(), Pac4jConstants.USER_PROFILES).isEmpty());
    }

    private Exchange callback() {
        return browser.get("https://app.example.com/oauth2/signin?code=abc&state=state-one")
                .parameter("state", "state-one").parameter("code", "abc");
    }
}
