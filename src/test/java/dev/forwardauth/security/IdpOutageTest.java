package dev.forwardauth.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.Test;
import org.pac4j.core.context.MockWebContext;

/** What needs the identity provider fails with 503 (IdpUnavailableError) while it is down, and keeps the session. */
class IdpOutageTest {

    @Test
    void aLoginCannotStartWhileTheIdpIsDown() {
        ForwardAuthSecurity security = TestSetup.security(TestSetup.deadIdp(), Clock.systemUTC());
        Pac4jFlows browser = new Pac4jFlows(security);

        IdpUnavailableError error = assertThrows(IdpUnavailableError.class,
                () -> browser.authorize(browser.browserRequest(), "GET", "app.example.com", "/home"));
        assertTrue(error.getMessage().startsWith("identity provider unavailable: cannot fetch "), error.getMessage());
        assertEquals(Map.of(), browser.cookies);
    }

    @Test
    void flowsThatNeedTheIdpSay503BeforeHandingOverToPac4j() {
        ForwardAuthSecurity security = TestSetup.security(TestSetup.deadIdp(), Clock.systemUTC());
        AppSecurity app = security.appFor("app.example.com").orElseThrow();
        assertThrows(IdpUnavailableError.class, app::requireIdp);
        assertThrows(IdpUnavailableError.class, app::requireIdpForLogin);
    }

    @Test
    void aLoginStartsOnlyWhenTheIdpAnswersNow() {
        MockOAuth2Server idp = new MockOAuth2Server();
        idp.start();
        ForwardAuthSecurity security = TestSetup.security(idp.issuerUrl("default").toString(), Clock.systemUTC());
        AppSecurity app = security.appFor("app.example.com").orElseThrow();
        app.requireIdp();
        idp.shutdown();
        app.requireIdp();
        IdpUnavailableError error = assertThrows(IdpUnavailableError.class, app::requireIdpForLogin);
        assertTrue(error.getMessage().startsWith("identity provider unavailable: cannot fetch "), error.getMessage());
    }

    @Test
    void aBrowserIsNotSentToAnIdpThatStoppedAnswering() {
        MockOAuth2Server idp = new MockOAuth2Server();
        idp.start();
        ForwardAuthSecurity security = TestSetup.security(idp.issuerUrl("default").toString(), Clock.systemUTC());
        Pac4jFlows browser = new Pac4jFlows(security);
        security.appFor("app.example.com").orElseThrow().requireIdp();
        idp.shutdown();

        IdpUnavailableError error = assertThrows(IdpUnavailableError.class,
                () -> browser.authorize(browser.browserRequest(), "GET", "app.example.com", "/home"));
        assertTrue(error.getMessage().startsWith("identity provider unavailable: cannot fetch "), error.getMessage());
        assertEquals(Map.of(), browser.cookies);
    }

    @Test
    void aBearerTokenCannotBeCheckedWhileTheIdpIsDown() {
        ForwardAuthSecurity security = TestSetup.security(TestSetup.deadIdp(), Clock.systemUTC());
        Pac4jFlows browser = new Pac4jFlows(security);
        MockWebContext api = MockWebContext.create().addRequestHeader("Authorization", "Bearer "
                + Sessions.jwt(new com.nimbusds.jwt.JWTClaimsSet.Builder().subject("svc").build()));

        assertThrows(IdpUnavailableError.class, () -> browser.authorize(api, "GET", "app.example.com", "/reports/q1"));
    }

    @Test
    void aSessionThatNeedsRenewalWhileTheIdpWasNeverReachedIs503AndKeepsItsCookie() {
        ForwardAuthSecurity security = TestSetup.security(TestSetup.deadIdp(), Clock.systemUTC());
        Pac4jFlows browser = new Pac4jFlows(security);
        AppSecurity app = security.appFor("app.example.com").orElseThrow();
        Sessions.saved(security, Sessions.profile(app.clientName(), "alice", Instant.now().minusSeconds(60), Map.of(), true))
                .forEach(cookie -> browser.cookies.put(cookie.getName(), cookie.getValue()));

        IdpUnavailableError error = assertThrows(IdpUnavailableError.class,
                () -> browser.authorize(browser.browserRequest(), "GET", "app.example.com", "/home"));
        assertTrue(error.getMessage().startsWith("identity provider unavailable: cannot fetch "), error.getMessage());
        assertTrue(browser.hasSession());
    }

    @Test
    void aSessionThatNeedsRenewalWhenTheTokenEndpointIsGoneIs503() {
        MockOAuth2Server idp = new MockOAuth2Server();
        idp.start();
        ForwardAuthSecurity security = TestSetup.security(idp.issuerUrl("default").toString(), Clock.systemUTC());
        Pac4jFlows browser = new Pac4jFlows(security);
        AppSecurity app = security.appFor("app.example.com").orElseThrow();
        app.requireIdp();
        idp.shutdown();
        Sessions.saved(security, Sessions.profile(app.clientName(), "alice", Instant.now().minusSeconds(60), Map.of(), true))
                .forEach(cookie -> browser.cookies.put(cookie.getName(), cookie.getValue()));

        IdpUnavailableError error = assertThrows(IdpUnavailableError.class,
                () -> browser.authorize(browser.browserRequest(), "GET", "app.example.com", "/home"));
        assertEquals("identity provider unavailable: cannot renew the session at its token endpoint", error.getMessage());
    }
}
