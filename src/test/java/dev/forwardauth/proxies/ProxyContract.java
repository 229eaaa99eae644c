package dev.forwardauth.proxies;

import static dev.forwardauth.proxies.ProtectedSite.HOST;
import static dev.forwardauth.proxies.ProtectedSite.SESSION_COOKIE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a browser and an API client see through a real proxy in front of forwardauth, the same for every
 * proxy; a subclass starts the proxy from the tested configuration and states the few hops where proxies
 * differ. Each test has its own browser (cookie jar), so the tests share one running stack.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ProxyContract {
    static final String PAGE = "/reports/q1?sort=desc";
    static final Map<String, Object> ALICE = Map.of("name", "Alice", "email", "alice@example.com",
            "scope", "openid profile email");
    static final List<String> IDENTITY_HEADERS = List.of("X-Forwarded-User", "X-Forwardauth-Sub",
            "X-Forwardauth-Name", "X-Forwardauth-Email");

    ProtectedSite site;
    ProxyProcess proxy;
    private Path dir;

    /** The proxy's executable name; the test fails at once, naming .ci/run, when it is not installed. */
    abstract String executable();

    /** Starts the proxy on {@code site.port} in front of the site, with its files in {@code dir}. */
    abstract ProxyProcess startProxy(Path executable, ProtectedSite site, Path dir) throws Exception;

    /**
     * From the proxy's answer to a browser without a session that asked for {@code page}, the hops to the
     * identity provider: the URL of its authorize endpoint that the browser is sent to (with the
     * pending-login cookie set by then).
     */
    abstract String toIdentityProvider(Browser browser, String page, LoopbackHttp.Response firstAnswer)
            throws Exception;

    /** The proxy's answer when forwardauth says 403 to a signed-in user. */
    abstract void assertForbidden(LoopbackHttp.Response answer);

    /** The proxy's answer when forwardauth says 401 to an API client without a session. */
    abstract void assertApiClientMustSignIn(LoopbackHttp.Response answer);

    @BeforeAll
    void start() throws Exception {
        Path executable = ProxyProcess.require(executable());
        dir = ProxyConfigs.tempDir("forwardauth-" + executable() + "-");
        site = new ProtectedSite(ProxyProcess.freePort());
        proxy = startProxy(executable, site, dir);
    }

    @AfterAll
    void stop() throws Exception {
        try (ProtectedSite s = site) {
            if (proxy != null) {
                proxy.close();
            }
        } finally {
            ProxyConfigs.delete(dir);
        }
    }

    @Test
    void browserSignsInThroughTheProxyAndTheAppReceivesTheIdentity() throws Exception {
        Browser browser = new Browser();
        signIn(browser, PAGE, ProtectedSite.user("alice", ALICE, 3600));

        EchoUpstream.Seen seen = EchoUpstream.Seen.from(browser.get(site.url(PAGE)));

        assertEquals("GET", seen.method());
        assertEquals(PAGE, seen.uri());
        assertEquals(HOST + ":" + site.port, seen.header("Host").orElseThrow());
        assertEquals("alice", seen.header("X-Forwarded-User").orElseThrow());
        assertEquals("alice", seen.header("X-Forwardauth-Sub").orElseThrow());
        assertEquals("Alice", seen.header("X-Forwardauth-Name").orElseThrow());
        assertEquals("alice@example.com", seen.header("X-Forwardauth-Email").orElseThrow());
        String bearer = bearer(seen);
        assertEquals(List.of(ProtectedSite.AUDIENCE), SignedJWT.parse(bearer).getJWTClaimsSet().getAudience(),
                "the access token goes upstream, not the ID token (whose audience is the client id)");
    }

    @Test
    void publicPathPassesWithoutSigningIn() throws Exception {
        EchoUpstream.Seen seen = EchoUpstream.Seen.from(new Browser().get(site.url("/public/about.html")));

        assertEquals("/public/about.html", seen.uri());
        assertNoIdentity(seen);
    }

    @Test
    void signedInUserWithoutTheRequiredScopeIsForbidden() throws Exception {
        Browser browser = new Browser();
        signIn(browser, PAGE, ProtectedSite.user("alice", ALICE, 3600));

        LoopbackHttp.Response admin = browser.get(site.url("/admin/users"));

        assertEquals(403, admin.status(), admin.toString());
        assertFalse(admin.body().contains("\"upstream\""), "the app must not be reached:\n" + admin);
        assertForbidden(admin);
    }

    @Test
    void spoofedIdentityHeadersNeverReachTheAppWithoutASession() throws Exception {
        EchoUpstream.Seen seen = EchoUpstream.Seen.from(new Browser().get(site.url("/public/x"), spoofed()));

        assertNoIdentity(seen);
    }

    @Test
    void spoofedIdentityHeadersAreReplacedForASignedInUser() throws Exception {
        Browser browser = new Browser();
        signIn(browser, PAGE, ProtectedSite.user("alice", ALICE, 3600));

        for (String path : List.of(PAGE, "/public/x")) {
            EchoUpstream.Seen seen = EchoUpstream.Seen.from(browser.get(site.url(path), spoofed()));

            assertEquals(List.of("alice"), seen.all("X-Forwarded-User"), path);
            assertEquals(List.of("alice"), seen.all("X-Forwardauth-Sub"), path);
            assertEquals(List.of("alice@example.com"), seen.all("X-Forwardauth-Email"), path);
            assertTrue(bearer(seen).startsWith("ey"), path);
        }
    }

    @Test
    void apiClientWithAnAccessTokenPassesWithoutACookie() throws Exception {
        String token = site.accessToken("robot", Map.of("scope", "read"));

        EchoUpstream.Seen seen = EchoUpstream.Seen.from(new Browser().get(site.url("/api/things"),
                "Accept", "application/json", "Authorization", "Bearer " + token));

        assertEquals("robot", seen.header("X-Forwarded-User").orElseThrow());
        assertEquals(token, bearer(seen));
    }

    @Test
    void apiClientWithoutASessionIsToldToSignIn() throws Exception {
        LoopbackHttp.Response answer = new Browser().get(site.url("/api/things"), "Accept", "application/json",
                "X-Requested-With", "XMLHttpRequest");

        assertFalse(answer.body().contains("\"upstream\""), "the app must not be reached:\n" + answer);
        assertApiClientMustSignIn(answer);
    }

    @Test
    void signoutEndsTheSessionAndSendsTheBrowserToTheIdentityProvider() throws Exception {
        Browser browser = new Browser();
        signIn(browser, PAGE, ProtectedSite.user("alice", ALICE, 3600));

        LoopbackHttp.Response signout = browser.get(site.url("/oauth2/signout"));

        assertEquals(302, signout.status(), signout.toString());
        assertTrue(signout.location().startsWith(site.endSessionEndpoint()), signout.location());
        assertFalse(browser.cookies(HOST).containsKey(SESSION_COOKIE), "session cookie deleted");
        String again = toIdentityProvider(browser, site.url(PAGE), browser.get(site.url(PAGE)));
        assertTrue(again.startsWith(site.authorizationEndpoint()), again);
    }

    /**
     * The documented limit of these proxies: they drop Set-Cookie from forwardauth's 2xx, so a renewed
     * session cookie never reaches the browser, and the next request renews the session again from the old
     * cookie (see docs/caddy.md and docs/nginx.md). Requests still pass, each with a fresh access token.
     */
    @Test
    void renewedSessionCookieDoesNotReachTheBrowserSoEachRequestRenewsAgain() throws Exception {
        Browser browser = new Browser();
        signIn(browser, PAGE, ProtectedSite.user("alice", ALICE, 3));
        String signedInCookie = browser.cookies(HOST).get(SESSION_COOKIE);
        String first = bearer(EchoUpstream.Seen.from(browser.get(site.url(PAGE))));
        waitForExpiry(first);

        LoopbackHttp.Response renewed = browser.get(site.url(PAGE));
        LoopbackHttp.Response renewedAgain = browser.get(site.url(PAGE));

        String second = bearer(EchoUpstream.Seen.from(renewed));
        String third = bearer(EchoUpstream.Seen.from(renewedAgain));
        assertNotEquals(first, second);
        assertNotEquals(second, third, "renewed again: the browser still has the old cookie");
        assertTrue(expiry(third).isAfter(Instant.now()));
        assertTrue(renewed.headers("Set-Cookie").stream().noneMatch(c -> c.startsWith(SESSION_COOKIE)),
                renewed.toString());
        assertEquals(signedInCookie, browser.cookies(HOST).get(SESSION_COOKIE));
    }

    /** A whole browser login through the proxy that must succeed: back at {@code path} with a session. */
    void signIn(Browser browser, String path, OAuth2TokenCallback user) throws Exception {
        String authorize = toIdentityProvider(browser, site.url(path), browser.get(site.url(path)));
        assertTrue(authorize.startsWith(site.authorizationEndpoint()), authorize);
        LoopbackHttp.Response atIdp = browser.get(authorize);
        assertEquals(302, atIdp.status(), atIdp.toString());
        String callback = atIdp.location();
        assertTrue(callback.startsWith(site.url("/oauth2/signin?")), callback);
        // The IdP hands the user out at the token request, which forwardauth makes during the callback.
        site.idp.enqueueCallback(user);

        LoopbackHttp.Response signin = browser.get(callback);

        assertEquals(302, signin.status(), signin.toString());
        assertEquals(site.url(path), signin.location());
        assertTrue(browser.cookies(HOST).containsKey(SESSION_COOKIE), signin.toString());
    }

    static String[] spoofed() {
        return new String[] {"X-Forwarded-User", "mallory", "X-Forwardauth-Email", "mallory@evil.example",
            "X-Forwardauth-Sub", "mallory"};
    }

    static void assertNoIdentity(EchoUpstream.Seen seen) {
        for (String header : IDENTITY_HEADERS) {
            assertEquals(List.of(), seen.all(header), header + " must not reach the app: " + seen.headers());
        }
        assertEquals(List.of(), seen.all("Authorization"), "Authorization: " + seen.headers());
    }

    static String bearer(EchoUpstream.Seen seen) {
        String authorization = seen.header("Authorization").orElseThrow(
                () -> new AssertionError("no Authorization reached the app: " + seen.headers()));
        assertTrue(authorization.startsWith("Bearer "), authorization);
        return authorization.substring("Bearer ".length());
    }

    static Instant expiry(String jwt) throws Exception {
        return SignedJWT.parse(jwt).getJWTClaimsSet().getExpirationTime().toInstant();
    }

    private static void waitForExpiry(String accessToken) throws Exception {
        // forwardauth reckons expiry from expires_in at the token response, a moment after the JWT's iat.
        Duration wait = Duration.between(Instant.now(), expiry(accessToken).plusMillis(1200));
        if (!wait.isNegative()) {
            Thread.sleep(wait.toMillis());
        }
    }
}
