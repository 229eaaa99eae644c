package dev.forwardauth.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forwardauth.policy.Verdict;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.context.MockWebContext;
import org.pac4j.core.exception.http.FoundAction;
import org.pac4j.core.exception.http.ForbiddenAction;
import org.pac4j.core.exception.http.UnauthorizedAction;
import org.pac4j.core.exception.http.WithLocationAction;
import org.pac4j.core.profile.UserProfile;
import org.pac4j.oidc.profile.OidcProfile;

/**
 * The login, the session and bearer tokens through forwardauth's pac4j configuration, against a real OIDC server
 * (mock-oauth2-server): what the proxy would be told at each step.
 */
class SecurityLogicTest {
    // Made in @BeforeAll, not in the field: a stopped server cannot start again, and PIT runs a class many times
    // in one JVM.
    private static MockOAuth2Server idp;

    private ForwardAuthSecurity security;
    private Pac4jFlows browser;

    @BeforeAll
    static void startIdp() {
        idp = new MockOAuth2Server();
        idp.start();
    }

    @AfterAll
    static void stopIdp() {
        idp.shutdown();
    }

    @BeforeEach
    void build() {
        security = TestSetup.security(idp.issuerUrl("default").toString(), Clock.systemUTC());
        browser = new Pac4jFlows(security);
    }

    @Test
    void aBrowserWithoutSessionSignsInAndReturnsToItsPageWithASession() throws Exception {
        Object toIdp = browser.authorize(browser.browserRequest(), "GET", "app.example.com", "/home");
        Pac4jFlows.assertGoesToIdp(toIdp, idp.authorizationEndpointUrl("default").toString());
        Map<String, String> asked = Pac4jFlows.query(((WithLocationAction) toIdp).getLocation());
        assertEquals(TestSetup.AUDIENCE, asked.get("audience"), "Auth0 issues a JWT for the API only when asked");
        assertEquals("app-client", asked.get("client_id"));
        assertEquals("https://app.example.com/oauth2/signin", asked.get("redirect_uri"));
        assertTrue(asked.get("state").length() >= 32, "a state of 128 bits or more: " + asked.get("state"));
        assertEquals(1, browser.cookies.size());
        assertTrue(browser.cookies.keySet().iterator().next().startsWith("FORWARDAUTH_LOGIN_"), browser.cookies.toString());

        Map<String, String> callback = browser.signInAtIdp((WithLocationAction) toIdp);
        idp.enqueueCallback(user("alice", Map.of("scope", "openid read:reports", "permissions", List.of("reports:view"),
                "email", "alice@example.com")));
        Object back = browser.callback(callback);

        assertEquals("https://app.example.com/home", assertInstanceOf(FoundAction.class, back).getLocation());
        assertEquals(List.of("FORWARDAUTH"), List.copyOf(browser.cookies.keySet()), "pending login used up, session set");

        MockWebContext next = browser.browserRequest();
        assertEquals(Pac4jFlows.GRANTED, browser.authorize(next, "GET", "app.example.com", "/reports/q1"));
        List<UserProfile> usable = ForwardAuthSecurity.usableProfiles(next);
        assertEquals(1, usable.size());
        OidcProfile alice = assertInstanceOf(OidcProfile.class, usable.get(0));
        assertEquals("alice", alice.getId());
        assertEquals("alice@example.com", Identities.of(alice, security.appFor("app.example.com").orElseThrow())
                .claimHeaders().get("X-Forwardauth-email"));
    }

    @Test
    void aSessionCountsForAppsOfTheSameClientOnlyAndIsJudgedByItsAccessToken() throws Exception {
        logIn("alice", Map.of("scope", "openid"));

        MockWebContext shared = browser.browserRequest();
        assertInstanceOf(ForbiddenAction.class, browser.authorize(shared, "POST", "www.shared.example.com", "/orders"));
        assertEquals(Optional.of(new Verdict.Missing(List.of("shared"), List.of())),
                shared.getRequestAttribute(PolicyAuthorizer.MISSING_ATTRIBUTE));

        MockWebContext other = browser.browserRequest();
        Pac4jFlows.assertGoesToIdp(browser.authorize(other, "GET", "other.example.com", "/"),
                idp.authorizationEndpointUrl("default").toString());
        assertEquals(List.of(), ForwardAuthSecurity.usableProfiles(other));
    }

    @Test
    void theFirstRequestAfterARestartRenewsAnExpiredAccessTokenAndKeepsTheSession() throws Exception {
        // Every access token of this instance counts as expired at once, so the next read must renew it.
        security.appFor("app.example.com").orElseThrow().oidcClient().getConfiguration().setTokenExpirationAdvance(7200);
        logIn("alice", Map.of("scope", "openid read:reports", "permissions", List.of("reports:view")));
        String loginCookie = browser.cookies.get("FORWARDAUTH");

        // A new instance with the same secret (a restart, another replica) whose first request is this one.
        Pac4jFlows restarted = new Pac4jFlows(TestSetup.security(idp.issuerUrl("default").toString(), Clock.systemUTC()));
        restarted.cookies.putAll(browser.cookies);
        idp.enqueueCallback(user("alice", Map.of("scope", "openid read:reports", "permissions", List.of("reports:view"))));
        MockWebContext request = restarted.browserRequest();

        assertEquals(Pac4jFlows.GRANTED, restarted.authorize(request, "GET", "app.example.com", "/reports/q1"));
        assertEquals("alice", ForwardAuthSecurity.usableProfiles(request).get(0).getId());
        assertTrue(restarted.hasSession());
        assertNotEquals(loginCookie, restarted.cookies.get("FORWARDAUTH"), "renewed tokens, new cookie");
    }

    @Test
    void aRenewalThatFailsForAnotherReasonThanAnOutageSendsTheUserToLogInAgain() {
        AppSecurity app = security.appFor("app.example.com").orElseThrow();
        // mock-oauth2-server renews any refresh token, but with an access token for the client id rather than our
        // API: the renewal fails, the IdP is there, so the answer is a new login rather than a 503.
        Sessions.saved(security, Sessions.profile(app.clientName(), "alice", java.time.Instant.now().minusSeconds(60),
                Map.of(), true)).forEach(cookie -> browser.cookies.put(cookie.getName(), cookie.getValue()));

        MockWebContext request = browser.browserRequest();
        Pac4jFlows.assertGoesToIdp(browser.authorize(request, "GET", "app.example.com", "/reports/q1"),
                idp.authorizationEndpointUrl("default").toString());
        assertEquals(Optional.empty(), request.getRequestAttribute(ForwardAuthSecurity.RENEWAL_UNAVAILABLE));
    }

    @Test
    void anApiClientWithoutTokenGets401AndNoCookie() {
        MockWebContext api = MockWebContext.create().addRequestHeader("Accept", "application/json");
        assertInstanceOf(UnauthorizedAction.class, browser.authorize(api, "GET", "app.example.com", "/reports/q1"));
        assertEquals(Map.of(), browser.cookies);
    }

    @Test
    void aValidBearerTokenPassesWithoutAnyCookie() {
        MockWebContext api = MockWebContext.create().addRequestHeader("Authorization", "Bearer "
                + accessToken("svc-1", List.of(TestSetup.AUDIENCE), Map.of("scope", "read:reports",
                "permissions", List.of("reports:view"))));

        assertEquals(Pac4jFlows.GRANTED, browser.authorize(api, "GET", "app.example.com", "/reports/q1"));

        UserProfile caller = ForwardAuthSecurity.usableProfiles(api).get(0);
        assertEquals("svc-1", assertInstanceOf(AccessTokenProfile.class, caller).getId());
        assertEquals(Map.of(), browser.cookies, "a bearer caller is never saved in a session");
    }

    @Test
    void aBearerTokenForAnotherApiGets401WithTheReason() {
        MockWebContext api = MockWebContext.create().addRequestHeader("Authorization", "Bearer "
                + accessToken("svc-1", List.of("https://other-api.example.com"), Map.of()));

        assertInstanceOf(UnauthorizedAction.class, browser.authorize(api, "GET", "app.example.com", "/reports/q1"));
        assertEquals(Optional.of("access token audience does not include https://api.example.com"),
                api.getRequestAttribute(BearerTokenClient.TOKEN_ERROR_ATTRIBUTE));
    }

    @Test
    void aLoginWhoseAccessTokenIsForAnotherApiEndsWithAMessageAndNoSession() throws Exception {
        Object toIdp = browser.authorize(browser.browserRequest(), "GET", "app.example.com", "/home");
        Map<String, String> callback = browser.signInAtIdp((WithLocationAction) toIdp);
        idp.enqueueCallback(new DefaultOAuth2TokenCallback("default", "alice", "JWT",
                List.of("https://other-api.example.com"), Map.of(), 3600));

        LoginFailedException failed = assertThrows(LoginFailedException.class, () -> browser.callback(callback));
        assertEquals("the identity provider's access token audience does not include https://api.example.com",
                failed.getMessage());
        assertFalse(browser.hasSession());
    }

    @Test
    void startSendsTheBrowserToTheIdpAndTheLoginReturnsToRd() throws Exception {
        AppSecurity app = security.appFor("app.example.com").orElseThrow();
        MockWebContext start = browser.browserRequest();
        start.setRequestAttribute(AppSecurity.ATTRIBUTE, app);
        start.setRequestAttribute(OriginalUrlRequestHandler.RETURN_URL_ATTRIBUTE, "https://app.example.com/Reports?Q=1");
        start.setRequestAttribute(ForwardAuthAjaxResolver.FORCE_REDIRECT_ATTRIBUTE, Boolean.TRUE);
        CallContext ctx = new CallContext(start, security.sessionStore());
        new OriginalUrlRequestHandler().save(ctx);
        WithLocationAction toIdp = (WithLocationAction) app.oidcClient().getRedirectionAction(ctx).orElseThrow();
        browser.receive(start, app);

        Map<String, String> callback = browser.signInAtIdp(toIdp);
        idp.enqueueCallback(user("bob", Map.of()));
        Object back = browser.callback(callback);

        assertEquals("https://app.example.com/Reports?Q=1", assertInstanceOf(FoundAction.class, back).getLocation());
        assertTrue(browser.hasSession());
    }

    @Test
    void aLoginCannotStartWithoutAPageToReturnTo() {
        CallContext ctx = new CallContext(MockWebContext.create(), security.sessionStore());
        assertEquals("a login started without an original URL",
                assertThrows(IllegalStateException.class, () -> new OriginalUrlRequestHandler().save(ctx)).getMessage());
    }

    @Test
    void aCallbackNeedsTheLoginItBelongsTo() {
        MockWebContext unknown = MockWebContext.create();
        assertEquals("a callback without a looked-up login", assertThrows(IllegalStateException.class,
                () -> new CallbackClientFinder().find(security.pac4j().getClients(), unknown, null)).getMessage());
    }

    /** A whole login at app.example.com, for a user whose access token carries {@code claims}. */
    private void logIn(String subject, Map<String, Object> claims) throws Exception {
        Object toIdp = browser.authorize(browser.browserRequest(), "GET", "app.example.com", "/");
        Map<String, String> callback = browser.signInAtIdp((WithLocationAction) toIdp);
        idp.enqueueCallback(user(subject, claims));
        assertInstanceOf(FoundAction.class, browser.callback(callback));
        assertTrue(browser.hasSession());
    }

    private static DefaultOAuth2TokenCallback user(String subject, Map<String, Object> claims) {
        return new DefaultOAuth2TokenCallback("default", subject, "JWT", List.of(TestSetup.AUDIENCE), claims, 3600);
    }

    private static String accessToken(String subject, List<String> audience, Map<String, Object> claims) {
        return idp.issueToken("default", "machine-client",
                new DefaultOAuth2TokenCallback("default", subject, "JWT", audience, claims, 300)).serialize();
    }
}
