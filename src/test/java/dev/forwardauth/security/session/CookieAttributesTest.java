package dev.forwardauth.security.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.oauth2.sdk.id.State;
import dev.forwardauth.security.session.FakeHttp.Exchange;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pac4j.core.profile.ProfileManager;
import org.pac4j.oidc.profile.OidcProfile;

class CookieAttributesTest {

    private final MutableClock clock = new MutableClock();
    private final CookieSessionStore store = new CookieSessionStore(SessionSettings.of(SessionCookieTest.SECRET, 43200, 300), clock);

    @Test
    void theSessionCookieIsHttpOnlyLaxForTheWholeHostAndNotSecureOverHttp() {
        String header = sessionCookie(CookieSettings.hostOnly(false));

        assertTrue(header.matches("FORWARDAUTH=v1\\.[A-Za-z0-9_-]+; Max-Age=43200; Expires=[^;]+ GMT; Path=/; SameSite=Lax; HttpOnly"), header);
        assertEquals(List.of("max-age", "expires", "path", "samesite", "httponly"), List.copyOf(FakeHttp.attributes(header).keySet()));
    }

    @Test
    void theSessionCookieIsSecureOverHttpsAndCarriesTheTokenCookieDomain() {
        Map<String, String> attributes = FakeHttp.attributes(sessionCookie(CookieSettings.forDomain(true, "Example.COM")));

        assertEquals("example.com", attributes.get("domain"));
        assertEquals("", attributes.get("secure"));
        assertEquals("", attributes.get("httponly"));
        assertEquals("Lax", attributes.get("samesite"));
        assertEquals("/", attributes.get("path"));
    }

    @Test
    void aDeletionUsesTheSameDomainAndPathWithMaxAgeZero() {
        Exchange exchange = new Exchange().cookie("FORWARDAUTH", "v1.x");
        store.destroySession(exchange.context());
        store.commit(exchange.context(), CookieSettings.forDomain(true, "example.com"));

        assertEquals(1, exchange.setCookies.size());
        assertTrue(exchange.setCookies.get(0).matches(
                "FORWARDAUTH=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Domain=example.com; Path=/; SameSite=Lax; Secure; HttpOnly"),
                exchange.setCookies.get(0));
    }

    @Test
    void thePendingLoginCookieHasTheSameAttributesAndOutlivesTheLoginByTheGracePeriod() {
        Exchange exchange = new Exchange();
        store.startLogin(exchange.context(), "app.example.com");
        store.set(exchange.context(), "c$stateSessionParameter", new State("s"));
        store.commit(exchange.context(), CookieSettings.forDomain(true, "example.com"));

        Map<String, String> attributes = FakeHttp.attributes(exchange.setCookies.get(0));
        assertEquals(String.valueOf(300 + PendingLogins.EXPIRED_GRACE.getSeconds()), attributes.get("max-age"));
        assertEquals("example.com", attributes.get("domain"));
        assertEquals(List.of("max-age", "expires", "domain", "path", "samesite", "secure", "httponly"), List.copyOf(attributes.keySet()));
    }

    @Test
    void refusesADomainThatCouldInjectAttributesOrHeaders() {
        for (String bad : new String[] {"example.com; HttpOnly", "example.com\r\nX: y", "exa mple.com", "-example.com", "example..com"}) {
            assertThrows(IllegalArgumentException.class, () -> CookieSettings.forDomain(true, bad), bad);
        }
        assertEquals(".example.com", CookieSettings.forDomain(true, ".example.com").domain());
        assertNull(CookieSettings.forDomain(true, " ").domain());
    }

    private String sessionCookie(CookieSettings settings) {
        Instant now = clock.instant();
        OidcProfile profile = Tokens.profile(Tokens.idToken(now), Tokens.accessToken(now, now.plusSeconds(600), 20), 600, "rt");
        Exchange exchange = new Exchange();
        new ProfileManager(exchange.context(), store).save(true, profile, false);
        store.commit(exchange.context(), settings);
        assertEquals(1, exchange.setCookies.size());
        return exchange.setCookies.get(0);
    }
}
