package dev.forwardauth.web;

import static dev.forwardauth.web.Logins.AUDIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * /signout (SPEC 4): the session cookie is deleted in the very response that sends the browser to the IdP's
 * logout, Auth0 style ({@code /v2/logout?client_id&returnTo}) or OIDC RP-initiated logout
 * ({@code end_session_endpoint?id_token_hint&post_logout_redirect_uri}), back to {@code return-to}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignoutIT {
    static final String APP = "https://app.example.com";
    static final String RETURN_TO = "https://www.example.com/goodbye?from=app";
    static final String AUTH0_LOGOUT = "https://tenant.eu.auth0.com/v2/logout";

    MockOAuth2Server idp;
    EmbeddedForwardAuth oidcLogout;
    EmbeddedForwardAuth auth0Logout;

    @BeforeAll
    void start() throws Exception {
        idp = new MockOAuth2Server();
        idp.start();
        oidcLogout = new EmbeddedForwardAuth(config(""));
        auth0Logout = new EmbeddedForwardAuth(config("\"logout-endpoint\": \"" + AUTH0_LOGOUT + "\","));
    }

    @AfterAll
    void stop() throws Exception {
        oidcLogout.close();
        auth0Logout.close();
        idp.shutdown();
    }

    private String config(String topLevelExtra) {
        return """
                {
                  "domain": "%s",
                  "session-secret": "%s",
                  %s
                  "default": {
                    "client-id": "forwardauth",
                    "client-secret": "secret",
                    "audience": "%s",
                    "redirect-uri": "https://app.example.com/oauth2/signin",
                    "return-to": "%s"
                  },
                  "apps": [
                    {"name": "sso.example.org", "redirect-uri": "https://sso.example.org/oauth2/signin",
                     "token-cookie-domain": "example.org"}
                  ]
                }
                """.formatted(idp.issuerUrl(Logins.ISSUER_ID), Logins.SESSION_SECRET, topLevelExtra, AUDIENCE, RETURN_TO);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/oauth2/signout", "/signout"})
    void oidcLogoutDeletesTheSessionAndGoesToTheEndSessionEndpoint(String path) throws Exception {
        TraefikClient browser = new TraefikClient();
        Logins.login(browser, oidcLogout, idp, APP + "/", Logins.user("alice", Map.of()));

        HttpResponse<String> signout = browser.route(oidcLogout.uri("/"), APP + path, "Accept", "text/html");

        assertEquals(302, signout.statusCode(), signout.body());
        assertSessionCookieDeleted(signout, null);
        String location = Responses.location(signout);
        assertTrue(location.startsWith(idp.endSessionEndpointUrl(Logins.ISSUER_ID) + "?"), location);
        Map<String, String> query = Responses.query(location);
        assertEquals(RETURN_TO, query.get("post_logout_redirect_uri"));
        // The ID token of this very session (audience: our client id), so the IdP knows whom to sign out.
        SignedJWT idToken = SignedJWT.parse(query.get("id_token_hint"));
        assertEquals(List.of("forwardauth"), idToken.getJWTClaimsSet().getAudience());
        assertEquals("alice", idToken.getJWTClaimsSet().getSubject());
        assertSignedOut(browser, oidcLogout);
    }

    @Test
    void aSessionWhoseAccessTokenExpiredStillNamesItsIdTokenAsTheHint() throws Exception {
        TraefikClient browser = new TraefikClient();
        Logins.login(browser, oidcLogout, idp, APP + "/", Logins.user("alice", Map.of(), 1));
        Thread.sleep(2_100);

        HttpResponse<String> signout = browser.route(oidcLogout.uri("/"), APP + "/oauth2/signout", "Accept", "text/html");

        assertEquals(302, signout.statusCode(), signout.body());
        String hint = Responses.query(Responses.location(signout)).get("id_token_hint");
        assertEquals("alice", SignedJWT.parse(hint).getJWTClaimsSet().getSubject());
    }

    @Test
    void auth0LogoutDeletesTheSessionAndGoesToV2Logout() throws Exception {
        TraefikClient browser = new TraefikClient();
        Logins.login(browser, auth0Logout, idp, APP + "/", Logins.user("alice", Map.of()));

        HttpResponse<String> signout = browser.route(auth0Logout.uri("/"), APP + "/oauth2/signout", "Accept", "text/html");

        assertEquals(302, signout.statusCode(), signout.body());
        assertSessionCookieDeleted(signout, null);
        assertEquals(AUTH0_LOGOUT + "?client_id=forwardauth&returnTo=" + URLEncoder.encode(RETURN_TO, StandardCharsets.UTF_8),
                Responses.location(signout));
        assertSignedOut(browser, auth0Logout);
    }

    @Test
    void deletionCarriesTheCookieDomainOrTheBrowserKeepsTheCookie() throws Exception {
        TraefikClient browser = new TraefikClient();
        Logins.login(browser, auth0Logout, idp, "https://sso.example.org/", Logins.user("alice", Map.of()));

        HttpResponse<String> signout = browser.route(auth0Logout.uri("/"), "https://sso.example.org/oauth2/signout",
                "Accept", "text/html");

        assertEquals(302, signout.statusCode(), signout.body());
        assertSessionCookieDeleted(signout, "example.org");
    }

    @Test
    void signoutOnAHostTheDefaultAppServesAlsoDeletesACookieDomainsSession() throws Exception {
        // The login on sso.example.org leaves a cookie for all of example.org, which wiki.example.org (served by
        // the default app, host-only cookies) accepts as a session: sign-out there must delete that one too.
        TraefikClient browser = new TraefikClient();
        Logins.login(browser, oidcLogout, idp, "https://sso.example.org/", Logins.user("alice", Map.of()));
        assertEquals(200, browser.authorize(oidcLogout.uri("/authorize"), "GET", "https://wiki.example.org/",
                "Accept", "text/html").statusCode());

        HttpResponse<String> signout = browser.route(oidcLogout.uri("/"), "https://wiki.example.org/oauth2/signout",
                "Accept", "text/html");

        assertEquals(302, signout.statusCode(), signout.body());
        List<String> domains = signout.headers().allValues("Set-Cookie").stream()
                .filter(cookie -> cookie.startsWith(Responses.SESSION_COOKIE + "="))
                .map(Responses::cookieAttributes)
                .peek(attributes -> assertEquals("0", attributes.get("max-age"), attributes.toString()))
                .map(attributes -> attributes.getOrDefault("domain", "(host-only)").replaceFirst("^\\.", ""))
                .toList();
        assertEquals(List.of("(host-only)", "example.org"), domains);
    }

    @Test
    void auth0FederatedLogoutKeepsItsQuery() throws Exception {
        try (EmbeddedForwardAuth federated = new EmbeddedForwardAuth(
                config("\"logout-endpoint\": \"" + AUTH0_LOGOUT + "?federated\","))) {
            HttpResponse<String> signout = new TraefikClient().route(federated.uri("/"), APP + "/oauth2/signout");

            assertEquals(302, signout.statusCode(), signout.body());
            assertEquals(AUTH0_LOGOUT + "?federated&client_id=forwardauth&returnTo="
                    + URLEncoder.encode(RETURN_TO, StandardCharsets.UTF_8), Responses.location(signout));
        }
    }

    @Test
    void aMalformedHostIs400NamingTheHeader() throws Exception {
        HttpResponse<String> signout = new TraefikClient().get(oidcLogout.uri("/oauth2/signout"),
                "X-Forwarded-Host", "app example.com", "Accept", "text/html");

        assertEquals(400, signout.statusCode(), signout.body());
        assertTrue(signout.body().contains("the X-Forwarded-Host or Host header is missing or malformed"),
                signout.body());
    }

    @Test
    void signoutWithoutSessionStillEndsAtTheIdpOrReturnTo() throws Exception {
        HttpResponse<String> auth0 = new TraefikClient().route(auth0Logout.uri("/"), APP + "/oauth2/signout");
        HttpResponse<String> oidc = new TraefikClient().route(oidcLogout.uri("/"), APP + "/oauth2/signout");

        assertEquals(302, auth0.statusCode(), auth0.body());
        assertTrue(Responses.location(auth0).startsWith(AUTH0_LOGOUT + "?client_id=forwardauth"));
        // Without an ID token to hint with, the logout names the client (RP-initiated logout allows it): the
        // IdP may still hold a session of its own, and SPEC 4 sends /signout to the IdP's logout.
        assertEquals(302, oidc.statusCode(), oidc.body());
        String location = Responses.location(oidc);
        assertTrue(location.startsWith(idp.issuerUrl(Logins.ISSUER_ID) + "/endsession?client_id=forwardauth"), location);
        assertTrue(location.contains("&post_logout_redirect_uri="
                + java.net.URLEncoder.encode(RETURN_TO, java.nio.charset.StandardCharsets.UTF_8)), location);
        assertTrue(!location.contains("id_token_hint"), location);
    }

    private static void assertSessionCookieDeleted(HttpResponse<String> signout, String domain) {
        String deletion = Responses.setCookie(signout, Responses.SESSION_COOKIE).orElseThrow(
                () -> new AssertionError("no FORWARDAUTH Set-Cookie: " + signout.headers().allValues("Set-Cookie")));
        Map<String, String> attributes = Responses.cookieAttributes(deletion);
        assertEquals("0", attributes.get("max-age"), deletion);
        assertEquals("/", attributes.get("path"), deletion);
        assertEquals(domain, attributes.containsKey("domain") ? attributes.get("domain").replaceFirst("^\\.", "") : null,
                deletion);
    }

    private static void assertSignedOut(TraefikClient browser, EmbeddedForwardAuth forwardauth) throws Exception {
        assertTrue(!browser.cookies.containsKey(Responses.SESSION_COOKIE), browser.cookies.toString());
        assertEquals(307, browser.authorize(forwardauth.uri("/authorize"), "GET", APP + "/", "Accept", "text/html")
                .statusCode());
    }
}
