package dev.forwardauth.security.session;

import dev.forwardauth.security.session.FakeHttp.Browser;
import dev.forwardauth.security.session.FakeHttp.Exchange;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pac4j.core.profile.ProfileManager;
import org.pac4j.core.util.Pac4jConstants;
import org.pac4j.oidc.profile.OidcProfile;

/** Cookies exactly as a store writes them (read back from its Set-Cookie headers), for tests that alter them. */
final class SealedCookies {

    static final String CLIENT = Tokens.CLIENT_NAME;

    private SealedCookies() {
    }

    /** A signed-in session with refresh token: FORWARDAUTH, and FORWARDAUTH_1... when it is split. */
    static Map<String, String> session(CookieSessionStore store, Clock clock) {
        Instant now = clock.instant();
        OidcProfile profile = Tokens.profile(Tokens.idToken(now), Tokens.accessToken(now, now.plusSeconds(3600), 20),
                3600, Tokens.refreshToken());
        profile.setExpiration(java.util.Date.from(now.plusSeconds(3600)));
        Browser browser = new Browser();
        Exchange exchange = browser.get("https://app.example.com/oauth2/signin");
        new ProfileManager(exchange.context(), store).save(true, profile, false);
        store.commit(exchange.context(), CookieSettings.hostOnly(true));
        browser.receive(exchange);
        return new LinkedHashMap<>(browser.jar);
    }

    /** The cookie of a login under way whose callback will carry {@code state}. */
    static Map<String, String> pendingLogin(CookieSessionStore store, String state) {
        Browser browser = new Browser();
        Exchange exchange = browser.get("https://app.example.com/authorize");
        store.startLogin(exchange.context(), "app.example.com");
        store.set(exchange.context(), CLIENT + "$stateSessionParameter", state);
        store.set(exchange.context(), CLIENT + "$nonceSessionParameter", "nonce-" + state);
        store.set(exchange.context(), CLIENT + "$codeVerifierSessionParameter", "verifier-" + state + "-".repeat(43));
        store.set(exchange.context(), Pac4jConstants.REQUESTED_URL, "https://app.example.com/reports");
        store.commit(exchange.context(), CookieSettings.hostOnly(true));
        browser.receive(exchange);
        return new LinkedHashMap<>(browser.jar);
    }
}
