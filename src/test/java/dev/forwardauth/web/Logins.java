package dev.forwardauth.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;

/**
 * The steps of a browser login through mock-oauth2-server, and tokens it issues for API clients. The IdP's
 * issuer id is {@code default}; every app in these tests uses client id {@code forwardauth} and audience
 * {@link #AUDIENCE} unless a test says otherwise.
 */
final class Logins {
    static final String ISSUER_ID = "default";
    static final String AUDIENCE = "https://api.example.com";
    static final String CLIENT_ID = "forwardauth";
    static final String SESSION_SECRET = "0123456789abcdef0123456789abcdef";

    private Logins() {
    }

    /**
     * Asks the IdP for its discovery document once, from the test. The mock's first answer costs it seconds
     * of class loading on a busy machine, and forwardauth's own discovery gives up after 5 s (then answers
     * 503 for a while): paid here, without a timeout, the cost cannot fail a test that is about something else.
     */
    static void warmUp(MockOAuth2Server idp) throws Exception {
        HttpResponse<String> discovery = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(idp.wellKnownUrl(ISSUER_ID).uri()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, discovery.statusCode(), discovery.body());
    }

    /** What the IdP puts into the ID and access tokens of the next login (claims go into both). */
    static OAuth2TokenCallback user(String subject, Map<String, Object> claims) {
        return user(subject, claims, 3600);
    }

    static OAuth2TokenCallback user(String subject, Map<String, Object> claims, long expirySeconds) {
        return new DefaultOAuth2TokenCallback(ISSUER_ID, subject, "JWT", List.of(AUDIENCE), claims, expirySeconds);
    }

    /** An access token from the IdP, as an API client would send it (expiry may be negative: already expired). */
    static String accessToken(MockOAuth2Server idp, String subject, List<String> audience, Map<String, Object> claims,
                              long expirySeconds) {
        return idp.issueToken(ISSUER_ID, CLIENT_ID,
                new DefaultOAuth2TokenCallback(ISSUER_ID, subject, "JWT", audience, claims, expirySeconds)).serialize();
    }

    static String accessToken(MockOAuth2Server idp, String subject, Map<String, Object> claims) {
        return accessToken(idp, subject, List.of(AUDIENCE), claims, 3600);
    }

    /** A browser without a session asks for {@code url}: forwardauth answers 307 to the IdP. */
    static HttpResponse<String> start(TraefikClient browser, EmbeddedForwardAuth forwardauth, String url)
            throws Exception {
        return start(browser, forwardauth.uri("/"), url);
    }

    /** The same against forwardauth at {@code base} (e.g. a {@code java -jar} child process). */
    static HttpResponse<String> start(TraefikClient browser, URI base, String url) throws Exception {
        HttpResponse<String> toIdp = browser.authorize(base.resolve("/authorize"), "GET", url, "Accept", "text/html");
        assertEquals(307, toIdp.statusCode(), toIdp.body());
        return toIdp;
    }

    /** The user signs in at the IdP, which sends the browser back: the callback URL (redirect-uri?code&state). */
    static String atIdp(TraefikClient browser, HttpResponse<String> toIdp) throws Exception {
        HttpResponse<String> atIdp = browser.get(URI.create(Responses.location(toIdp)));
        assertEquals(302, atIdp.statusCode(), atIdp.body());
        return Responses.location(atIdp);
    }

    /** From forwardauth's 307 to the IdP until forwardauth's answer to the callback (not checked here). */
    static HttpResponse<String> finish(TraefikClient browser, EmbeddedForwardAuth forwardauth, MockOAuth2Server idp,
                                       HttpResponse<String> toIdp, OAuth2TokenCallback user) throws Exception {
        return finish(browser, forwardauth.uri("/"), idp, toIdp, user);
    }

    static HttpResponse<String> finish(TraefikClient browser, URI base, MockOAuth2Server idp,
                                       HttpResponse<String> toIdp, OAuth2TokenCallback user) throws Exception {
        String callback = atIdp(browser, toIdp);
        // Enqueued only now: the IdP hands the callback out at the token request, which the /signin below makes.
        idp.enqueueCallback(user);
        return browser.route(base, callback);
    }

    /** A whole login that must succeed: 307, IdP, /signin answers 302 back to {@code url} with a session. */
    static HttpResponse<String> login(TraefikClient browser, EmbeddedForwardAuth forwardauth, MockOAuth2Server idp,
                                      String url, OAuth2TokenCallback user) throws Exception {
        return login(browser, forwardauth.uri("/"), idp, url, user);
    }

    static HttpResponse<String> login(TraefikClient browser, URI base, MockOAuth2Server idp, String url,
                                      OAuth2TokenCallback user) throws Exception {
        HttpResponse<String> signin = finish(browser, base, idp, start(browser, base, url), user);
        assertEquals(302, signin.statusCode(), signin.body());
        assertEquals(url, Responses.location(signin));
        assertTrue(Responses.setsSession(signin), "no session cookie: " + signin.headers().allValues("Set-Cookie"));
        return signin;
    }
}
