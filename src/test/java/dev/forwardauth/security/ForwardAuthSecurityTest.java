package dev.forwardauth.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forwardauth.security.session.CookieSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pac4j.core.context.MockWebContext;
import org.pac4j.core.profile.UserProfile;
import org.pac4j.oidc.profile.OidcProfile;

/** The apps, their sessions and cookie attributes, as one configuration's security sees them. */
class ForwardAuthSecurityTest {
    private final ForwardAuthSecurity security = TestSetup.security(TestSetup.deadIdp(), Clock.systemUTC());
    private final AppSecurity app = security.appFor("app.example.com").orElseThrow();
    private final AppSecurity shared = security.appFor("www.shared.example.com").orElseThrow();
    private final AppSecurity other = security.appFor("other.example.com").orElseThrow();
    private final AppSecurity fallback = security.appFor("unknown.example.net").orElseThrow();

    @Test
    void theHostSelectsExactThenWildcardThenDefaultApp() {
        assertEquals("app.example.com", app.config().name());
        assertEquals("*.shared.example.com", shared.config().name());
        assertSame(shared, security.appFor("a.b.shared.example.com").orElseThrow());
        assertSame(fallback, security.appFor("shared.example.com").orElseThrow());
        assertEquals("default-client", fallback.config().clientId());
    }

    @Test
    void withoutDefaultAnUnknownHostHasNoApp() {
        String json = TestSetup.configJson(TestSetup.deadIdp());
        String withoutDefault = json.substring(0, json.indexOf("\"default\"")) + json.substring(json.indexOf("\"apps\""));
        ForwardAuthSecurity strict = TestSetup.security(TestSetup.load(withoutDefault), Clock.systemUTC());
        assertEquals(Optional.empty(), strict.appFor("unknown.example.net"));
        assertTrue(strict.appFor("app.example.com").isPresent());
    }

    @Test
    void appsAreFoundByTheirLoginClientsName() {
        assertSame(app, security.appByClientName("oidc@app.example.com").orElseThrow());
        assertSame(fallback, security.appByClientName("oidc@#default").orElseThrow());
        assertEquals(Optional.empty(), security.appByClientName("bearer@app.example.com"));
    }

    @Test
    void cookiesAreHostOnlyUnlessTheAppHasACookieDomain() {
        assertEquals(CookieSettings.hostOnly(true), ForwardAuthSecurity.cookieSettings(app, true));
        assertEquals(CookieSettings.hostOnly(false), ForwardAuthSecurity.cookieSettings(app, false));
        assertEquals(CookieSettings.forDomain(true, "shared.example.com"), ForwardAuthSecurity.cookieSettings(shared, true));
    }

    @Test
    void aSessionServesItsOwnAppAndAppsOfTheSameClientAndApi() {
        OidcProfile alice = Sessions.profile(app.clientName(), "alice", Instant.now().plus(Duration.ofMinutes(5)), Map.of(), false);
        var cookies = Sessions.saved(security, alice);

        Optional<UserProfile> forApp = security.sessionProfile(Sessions.requestWith(cookies), app);
        assertEquals("alice", forApp.orElseThrow().getId());
        assertEquals("oidc@app.example.com", forApp.orElseThrow().getClientName());
        assertEquals("alice", security.sessionProfile(Sessions.requestWith(cookies), shared).orElseThrow().getId());
        assertEquals(Optional.empty(), security.sessionProfile(Sessions.requestWith(cookies), other));
        assertEquals(Optional.empty(), security.sessionProfile(Sessions.requestWith(cookies), fallback));
    }

    @Test
    void aSessionWhoseAccessTokenExpiredIsNotReadWithoutRenewal() {
        OidcProfile alice = Sessions.profile(app.clientName(), "alice", Instant.now().minus(Duration.ofMinutes(5)), Map.of(), true);
        var cookies = Sessions.saved(security, alice);
        assertEquals(1, cookies.size(), "the session is kept: its refresh token can renew it");

        assertEquals(Optional.empty(), security.sessionProfile(Sessions.requestWith(cookies), app));
    }

    @Test
    void noCookieNoSession() {
        assertEquals(Optional.empty(), security.sessionProfile(MockWebContext.create(), app));
    }

    @Test
    void sessionsOfClientsNoAppOwnsAreNotTheSameSession() {
        OidcProfile stranger = Sessions.profile("oidc@gone.example.com", "mallory", Instant.now().plusSeconds(300), Map.of(), false);
        assertFalse(security.sameSession(stranger, app));
        OidcProfile alice = Sessions.profile(app.clientName(), "alice", Instant.now().plusSeconds(300), Map.of(), false);
        assertTrue(security.sameSession(alice, shared));
        assertFalse(security.sameSession(alice, other));
    }

    @Test
    void nothingIsUsableBeforeTheSecurityLogicRan() {
        assertEquals(List.of(), ForwardAuthSecurity.usableProfiles(MockWebContext.create()));
    }

    @Test
    void thePac4jConfigurationHoldsOurPlugIns() {
        var pac4j = security.pac4j();
        assertInstanceOf(PolicyAuthorizer.class, pac4j.getAuthorizers().get(PolicyAuthorizer.NAME));
        assertInstanceOf(ForwardAuthSecurityLogic.class, pac4j.getSecurityLogic());
        assertSame(security.sessionStore(), pac4j.getSessionStoreFactory().newSessionStore(null));
        assertEquals(8, pac4j.getClients().getClients().size(), "a login and a bearer client per app");
        assertEquals(3, security.config().apps().size());
        assertFalse(security.idp().isLoaded(), "nothing was fetched from the identity provider yet");
        assertEquals(Optional.of("the return URL's host evil.example.net is not a configured app host"),
                security.redirectTargets().problem("https://evil.example.net/"));
    }
}
