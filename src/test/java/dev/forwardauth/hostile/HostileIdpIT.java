package dev.forwardauth.hostile;

import static dev.forwardauth.hostile.HostileIdp.AUDIENCE;
import static dev.forwardauth.hostile.HostileIdp.CLIENT_ID;
import static dev.forwardauth.hostile.HostileIdp.CLIENT_SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.RSAKey;
import dev.forwardauth.hostile.HostileIdp.TokenResponse;
import dev.forwardauth.reload.LogCapture;
import dev.forwardauth.web.EmbeddedForwardAuth;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * forwardauth against an identity provider that lies, modelled on the OpenID Foundation's relying-party
 * conformance tests (rp-id_token-*, rp-nonce-*, rp-key-rotation-*, rp-userinfo-bad-sub-claim) plus the
 * access-token rules of SPEC 1. The IdP is {@link HostileIdp}, a real HTTP provider that forwardauth
 * discovers and logs in against like any other; each test changes one thing in what it signs.
 *
 * <p>Every refused login ends the same way: a 4xx page that names the problem (never a stack trace, never a
 * token), no session cookie, and the next request for the site still without a session. Every refused
 * bearer token: 401 naming the problem, no cookie.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileIdpIT {
    static final String APP = "https://app.example.com";
    static final String SESSION_SECRET = "0123456789abcdef0123456789abcdef";

    HostileIdp idp;
    EmbeddedForwardAuth forwardauth;

    @BeforeAll
    void start() throws Exception {
        idp = new HostileIdp();
        forwardauth = new EmbeddedForwardAuth(config(idp));
    }

    @AfterAll
    void stop() throws Exception {
        forwardauth.close();
        idp.close();
    }

    static String config(HostileIdp idp) {
        return config(idp, CLIENT_SECRET);
    }

    static String config(HostileIdp idp, String clientSecret) {
        return """
                {
                  "domain": "%s",
                  "session-secret": "%s",
                  "default": {
                    "client-id": "%s",
                    "client-secret": "%s",
                    "audience": "%s",
                    "redirect-uri": "https://app.example.com/oauth2/signin"
                  }
                }
                """.formatted(idp.issuer(), SESSION_SECRET, CLIENT_ID, clientSecret, AUDIENCE);
    }

    // --- The control: the same IdP, honest, logs the user in. Every refusal below is the forgery's doing.

    @Test
    void honestProviderLogsTheUserIn() throws Exception {
        Browser browser = new Browser(forwardauth.uri("/"));

        HttpResponse<String> signin = login(browser, forwardauth, idp, tokens -> { });

        assertEquals(302, signin.statusCode(), Answers.describe(signin));
        assertEquals(APP + "/private", Answers.location(signin));
        assertTrue(Answers.setsSession(signin));
        HttpResponse<String> pass = browser.authorize("GET", APP + "/private", "Accept", "text/html");
        assertEquals(200, pass.statusCode(), Answers.describe(pass));
        assertEquals(HostileIdp.SUBJECT, Answers.header(pass, "X-Forwarded-User"));
    }

    // --- ID token (OIDC Core 3.1.3.7; OpenID RP conformance rp-id_token-*)

    @Test
    void idTokenWithABadRs256SignatureIsRefused() throws Exception {
        assertLoginRefused(tokens -> tokens.idToken.corruptSignature(), "ID token", "signature");
    }

    @Test
    void idTokenSignedByAnotherKeyUnderThePublishedKidIsRefused() throws Exception {
        RSAKey attacker = HostileIdp.rsaKey("attacker");
        assertLoginRefused(tokens -> tokens.idToken.signedWith(attacker).kid("k1"), "ID token", "signature");
    }

    @Test
    void unsignedIdTokenWithAlgNoneIsRefused() throws Exception {
        assertLoginRefused(tokens -> tokens.idToken.unsigned(), "ID token");
    }

    @Test
    void idTokenSignedWithHs256UsingTheRsaPublicKeyAsSecretIsRefused() throws Exception {
        // The classic algorithm confusion: a verifier that takes "the key" for HMAC would accept this.
        byte[] publicKeyPem = pem(idp.signingKey());
        assertLoginRefused(tokens -> tokens.idToken.hmac(publicKeyPem).kid(null), "ID token");
    }

    @Test
    void idTokenWithHs256OverThePublicKeyIsRefusedEvenFromAProviderThatSignsWithHs256() throws Exception {
        // A provider that lists HS256 makes pac4j verify HMAC ID tokens, keyed with the client secret (OIDC
        // Core 10.1): the public key still opens nothing, while the client secret does (the control).
        try (HostileIdp hmacIdp = new HostileIdp(List.of("HS256"));
             EmbeddedForwardAuth hmacForwardauth = new EmbeddedForwardAuth(config(hmacIdp))) {
            byte[] publicKeyPem = pem(hmacIdp.signingKey());
            Browser attacked = new Browser(hmacForwardauth.uri("/"));
            HttpResponse<String> forged = login(attacked, hmacForwardauth, hmacIdp,
                    tokens -> tokens.idToken.hmac(publicKeyPem).kid(null));
            assertLoginPageRefuses(forged, attacked, hmacIdp, "ID token", "signature");

            Browser honest = new Browser(hmacForwardauth.uri("/"));
            HttpResponse<String> withClientSecret = login(honest, hmacForwardauth, hmacIdp,
                    tokens -> tokens.idToken.hmac(CLIENT_SECRET.getBytes(StandardCharsets.UTF_8)).kid(null));
            assertEquals(302, withClientSecret.statusCode(), Answers.describe(withClientSecret));
            assertTrue(Answers.setsSession(withClientSecret));
        }
    }

    @Test
    void idTokenFromAnotherIssuerIsRefused() throws Exception {
        assertLoginRefused(tokens -> tokens.idToken.claim("iss", "https://evil.example/"), "ID token", "iss");
    }

    @Test
    void idTokenForAnotherClientIsRefused() throws Exception {
        assertLoginRefused(tokens -> tokens.idToken.claim("aud", "another-client"), "ID token", "aud");
    }

    @Test
    void idTokenForSeveralAudiencesWithAnotherAuthorizedPartyIsRefused() throws Exception {
        assertLoginRefused(tokens -> tokens.idToken.claim("aud", List.of(CLIENT_ID, "another-client"))
                .claim("azp", "another-client"), "ID token", "azp");
    }

    @Test
    void expiredIdTokenIsRefused() throws Exception {
        assertLoginRefused(tokens -> tokens.idToken.time("iat", Duration.ofMinutes(-20))
                .time("exp", Duration.ofMinutes(-10)), "ID token", "expired");
    }

    @Test
    void idTokenIssuedInTheFutureIsRefused() throws Exception {
        assertLoginRefused(tokens -> tokens.idToken.time("iat", Duration.ofMinutes(10))
                .time("exp", Duration.ofMinutes(20)), "ID token", "issue time");
    }

    @Test
    void idTokenWithoutIatIsRefused() throws Exception {
        assertLoginRefused(tokens -> tokens.idToken.claim("iat", null), "ID token", "iat");
    }

    @Test
    void idTokenWithoutExpIsRefused() throws Exception {
        assertLoginRefused(tokens -> tokens.idToken.claim("exp", null), "ID token", "exp");
    }

    @Test
    void idTokenWithoutSubIsRefused() throws Exception {
        assertLoginRefused(tokens -> tokens.idToken.claim("sub", null), "ID token", "sub");
    }

    @Test
    void idTokenWithAnotherLoginsNonceIsRefused() throws Exception {
        assertLoginRefused(tokens -> tokens.idToken.claim("nonce", "nonce-of-another-login"), "ID token", "nonce");
    }

    @Test
    void idTokenWithoutNonceIsRefused() throws Exception {
        assertLoginRefused(tokens -> tokens.idToken.claim("nonce", null), "ID token", "nonce");
    }

    @Test
    void idTokenWhoseKidIsNotAmongThePublishedKeysIsRefused() throws Exception {
        RSAKey unpublished = HostileIdp.rsaKey("k9");
        assertLoginRefused(tokens -> tokens.idToken.signedWith(unpublished), "ID token");
    }

    @Test
    void tokenResponseWithoutAnIdTokenIsRefused() throws Exception {
        // Without an ID token nobody was authenticated: an access token alone is not a login (SPEC 1).
        assertLoginRefused(tokens -> tokens.withIdToken = false, "no ID token");
    }

    @Test
    void tokenResponseThatIsNotJsonIsRefused() throws Exception {
        assertLoginRefused(tokens -> tokens.rawBody = "<html><body>Service temporarily overloaded</body></html>",
                "token response could not be read");
    }

    @Test
    void idTokenWithoutKidIsCheckedAgainstEveryPublishedKey() throws Exception {
        // rp-id_token-kid-absent-multiple-jwks: no kid, three keys; the right one verifies it.
        Browser browser = new Browser(forwardauth.uri("/"));

        HttpResponse<String> signin = login(browser, forwardauth, idp, tokens -> tokens.idToken.kid(null));

        assertEquals(302, signin.statusCode(), Answers.describe(signin));
        assertTrue(Answers.setsSession(signin));
    }

    @Test
    void discoveryAndKeysAreFetchedInTheBackgroundSoonAfterTheStartWithoutAnyRequest() throws Exception {
        // The warm-up waits a second, so that it does not slow the start, then fetches what a login needs.
        try (HostileIdp fresh = new HostileIdp();
             EmbeddedForwardAuth idle = new EmbeddedForwardAuth(config(fresh))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (fresh.jwksRequests() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(1, fresh.jwksRequests(), "the keys, once, with no request to forwardauth");
        }
    }

    @Test
    void idTokenSignedWithAKeyPublishedAfterTheFirstLoginIsAcceptedAfterOneRefetch() throws Exception {
        // rp-key-rotation-op-sign-key. Fresh IdP and forwardauth: the counts are of this test's fetches only.
        try (HostileIdp rotating = new HostileIdp();
             EmbeddedForwardAuth rotatingForwardauth = new EmbeddedForwardAuth(config(rotating))) {
            HttpResponse<String> first = login(new Browser(rotatingForwardauth.uri("/")), rotatingForwardauth,
                    rotating, tokens -> { });
            assertEquals(302, first.statusCode(), Answers.describe(first));
            int fetchesBefore = rotating.jwksRequests();
            RSAKey rotated = HostileIdp.rsaKey("k4");
            rotating.publish(rotated);

            HttpResponse<String> second = login(new Browser(rotatingForwardauth.uri("/")), rotatingForwardauth,
                    rotating, tokens -> tokens.idToken.signedWith(rotated));
            HttpResponse<String> third = login(new Browser(rotatingForwardauth.uri("/")), rotatingForwardauth,
                    rotating, tokens -> tokens.idToken.signedWith(rotated));

            assertEquals(302, second.statusCode(), Answers.describe(second));
            assertTrue(Answers.setsSession(second));
            assertEquals(302, third.statusCode(), Answers.describe(third));
            assertEquals(fetchesBefore + 1, rotating.jwksRequests(), "one refetch for the new kid, then cached");
        }
    }

    @Test
    void accessTokenSignedWithAKeyPublishedAfterTheFirstLoginIsAcceptedAfterOneRefetch() throws Exception {
        try (HostileIdp rotating = new HostileIdp();
             EmbeddedForwardAuth rotatingForwardauth = new EmbeddedForwardAuth(config(rotating))) {
            assertEquals(302, login(new Browser(rotatingForwardauth.uri("/")), rotatingForwardauth, rotating,
                    tokens -> { }).statusCode());
            int fetchesBefore = rotating.jwksRequests();
            RSAKey rotated = HostileIdp.rsaKey("k5");
            rotating.publish(rotated);

            HttpResponse<String> second = login(new Browser(rotatingForwardauth.uri("/")), rotatingForwardauth,
                    rotating, tokens -> tokens.accessToken.signedWith(rotated));
            HttpResponse<String> bearer = new Browser(rotatingForwardauth.uri("/")).authorize("GET",
                    APP + "/api/items", "Accept", "application/json",
                    "Authorization", "Bearer " + rotating.accessToken().signedWith(rotated).serialize());

            assertEquals(302, second.statusCode(), Answers.describe(second));
            assertEquals(200, bearer.statusCode(), Answers.describe(bearer));
            assertEquals(fetchesBefore + 1, rotating.jwksRequests(), "one refetch for the new kid, then cached");
        }
    }

    @Test
    void userinfoIsNeverCalledSoItsOtherSubjectCannotReplaceTheIdTokens() throws Exception {
        // rp-userinfo-bad-sub-claim does not apply: forwardauth takes the profile from the validated ID token
        // and never calls userinfo (ForwardAuthSecurity: setCallUserInfoEndpoint(false)). This IdP's userinfo
        // names "mallory"; the user must come out as the ID token's "alice", and userinfo unasked.
        Browser browser = new Browser(forwardauth.uri("/"));
        int userinfoBefore = idp.userinfoRequests();

        HttpResponse<String> signin = login(browser, forwardauth, idp, tokens -> { });
        HttpResponse<String> pass = browser.authorize("GET", APP + "/private", "Accept", "text/html");
        HttpResponse<String> userinfo = browser.route(APP + "/oauth2/userinfo", "Accept", "application/json");

        assertEquals(302, signin.statusCode(), Answers.describe(signin));
        assertEquals(200, pass.statusCode(), Answers.describe(pass));
        assertEquals(HostileIdp.SUBJECT, Answers.header(pass, "X-Forwarded-User"));
        assertEquals("alice@example.com", Answers.header(pass, "X-Forwardauth-email"));
        assertTrue(userinfo.body().contains("\"sub\":\"alice\""), userinfo.body());
        assertFalse(userinfo.body().contains("mallory"), userinfo.body());
        assertEquals(userinfoBefore, idp.userinfoRequests(), "forwardauth called the userinfo endpoint");
    }

    @Test
    void sessionEndsWhenItsAccessTokenExpiresHoweverLongExpiresInSays() throws Exception {
        // SPEC 1: no decision rests on an expired access token. pac4j dates a session by the token response's
        // expires_in; this IdP says an hour while the token itself expires in seconds, with no refresh token.
        Browser browser = new Browser(forwardauth.uri("/"));
        AtomicReference<Instant> exp = new AtomicReference<>();

        HttpResponse<String> signin = login(browser, forwardauth, idp, tokens -> {
            exp.set(Instant.now().plusSeconds(6));
            tokens.accessToken.claim("exp", exp.get().getEpochSecond());
            tokens.expiresIn = 3600;
        });
        HttpResponse<String> before = browser.authorize("GET", APP + "/private", "Accept", "text/html");
        Answers.waitUntil(exp.get().plusSeconds(1));
        HttpResponse<String> after = browser.authorize("GET", APP + "/private", "Accept", "text/html");

        assertEquals(302, signin.statusCode(), Answers.describe(signin));
        assertEquals(200, before.statusCode(), Answers.describe(before));
        assertEquals(307, after.statusCode(), "an expired access token still passed: " + Answers.describe(after));
        assertTrue(after.headers().firstValue("Authorization").isEmpty());
    }

    // --- A login whose tokens cannot make a usable session: a 4xx naming why, never a 302 without a session

    @Test
    void loginWhoseAccessTokenHasJustExpiredIsRefusedNamingTheClocks() throws Exception {
        // Inside the validator's clock skew, so the token itself passes; but a session cannot start with it. A
        // 302 without a session would send the user through the IdP again and again.
        assertLoginRefused(tokens -> tokens.accessToken.time("iat", Duration.ofMinutes(-5))
                .time("exp", Duration.ofSeconds(-20)), "access token has already expired", "clock");
    }

    @Test
    void loginWhoseAccessTokenHasJustExpiredIsRefusedEvenWithARefreshToken() throws Exception {
        // An IdP whose fresh tokens arrive expired has a clock problem that a renewal would meet again; the
        // user is told at once instead of going round through a renewal that cannot help.
        assertLoginRefused(tokens -> {
            tokens.accessToken.time("iat", Duration.ofMinutes(-5)).time("exp", Duration.ofSeconds(-20));
            tokens.refreshToken = "refresh-" + UUID.randomUUID();
        }, "access token has already expired", "clock");
    }

    @Test
    void loginWhoseAccessTokenNamesAnotherUserThanTheIdTokenIsRefused() throws Exception {
        // The ID token says alice, the access token (what upstream apps receive) says mallory: accepting it
        // would send X-Forwarded-User: alice beside mallory's bearer token.
        assertLoginRefused(tokens -> tokens.accessToken.claim("sub", "mallory"),
                "the access token is for another user than the ID token");
    }

    @Test
    void loginWhoseAccessTokenHasNoSubjectNamesTheIdTokensUser() throws Exception {
        // Only two subjects that differ are a contradiction; an access token without sub is not one.
        Browser browser = new Browser(forwardauth.uri("/"));

        HttpResponse<String> signin = login(browser, forwardauth, idp, tokens -> tokens.accessToken.claim("sub", null));
        HttpResponse<String> pass = browser.authorize("GET", APP + "/private", "Accept", "text/html");

        assertEquals(302, signin.statusCode(), Answers.describe(signin));
        assertEquals(200, pass.statusCode(), Answers.describe(pass));
        assertEquals(HostileIdp.SUBJECT, Answers.header(pass, "X-Forwarded-User"));
    }

    @Test
    void loginWhoseTokensAreTooLargeForTheSessionCookieIsRefusedNamingTheSizes() throws Exception {
        // Random permissions, so compression cannot save them: more than three cookies can carry, in an access
        // token still under the 16 KB forwardauth accepts.
        List<String> permissions = Stream.generate(() -> "read:" + UUID.randomUUID()).limit(250).toList();
        Browser browser = new Browser(forwardauth.uri("/"));

        try (LogCapture log = LogCapture.of("dev.forwardauth.web.SigninServlet")) {
            HttpResponse<String> signin = login(browser, forwardauth, idp,
                    tokens -> tokens.accessToken.claim("permissions", permissions));

            assertTrue(signin.headers().allValues("Set-Cookie").stream().anyMatch(
                    header -> header.startsWith(Answers.PENDING_LOGIN_PREFIX) && Answers.isDeletion(header)),
                    "the used pending login is not deleted: " + Answers.describe(signin));
            assertLoginPageRefuses(signin, browser, idp, "the tokens are too large for the session cookie",
                    "at most 8192");
            assertTrue(log.messages().stream().anyMatch(line -> line.contains("too large for the session cookie")
                    && line.contains("at most 8192")), log.messages().toString());
        }
    }

    // --- The token endpoint's refusals, told apart (RFC 6749 5.2)

    @Test
    void aClientSecretTheIdpRefusesIsNamedAsSuchNeverAsAUsedCode() throws Exception {
        String wrongSecret = "not-the-client-secret-0123456789abcdef";
        try (EmbeddedForwardAuth misconfigured = new EmbeddedForwardAuth(config(idp, wrongSecret));
             LogCapture log = LogCapture.of("dev.forwardauth.web.SigninServlet")) {
            Browser browser = new Browser(misconfigured.uri("/"));

            HttpResponse<String> signin = login(browser, misconfigured, idp, tokens -> { });

            assertLoginPageRefuses(signin, browser, idp, "refused forwardauth's client-id or client-secret",
                    "check the configuration");
            assertFalse(signin.body().contains("used already"), Answers.describe(signin));
            assertFalse(signin.body().contains(wrongSecret), Answers.describe(signin));
            List<String> lines = log.messages();
            assertTrue(lines.stream().anyMatch(line -> line.contains("client-id or client-secret")), lines.toString());
            assertTrue(lines.stream().noneMatch(line -> line.contains("used already") || line.contains(wrongSecret)),
                    lines.toString());
        }
    }

    // --- Access tokens (SPEC 1), from the login's token response and sent by a client as a bearer token

    record AccessTokenCase(Consumer<ForgedJwt> forge, String opaque, String problem) {
        String token(HostileIdp idp) {
            if (opaque != null) {
                return opaque;
            }
            ForgedJwt jwt = idp.accessToken();
            forge.accept(jwt);
            return jwt.serialize();
        }

        void applyTo(TokenResponse tokens) {
            if (opaque != null) {
                tokens.rawAccessToken = opaque;
            } else {
                forge.accept(tokens.accessToken);
            }
        }
    }

    static Stream<Named<AccessTokenCase>> forgedAccessTokens() throws Exception {
        RSAKey unpublished = HostileIdp.rsaKey("k9");
        RSAKey attacker = HostileIdp.rsaKey("attacker");
        return Stream.of(
                named("wrong aud", jwt -> jwt.claim("aud", List.of("https://other-api.example.com")),
                        "audience does not include " + AUDIENCE),
                named("expired", jwt -> jwt.time("iat", Duration.ofMinutes(-20)).time("exp", Duration.ofMinutes(-10)),
                        "expired"),
                named("nbf in the future", jwt -> jwt.time("nbf", Duration.ofMinutes(10)), "not valid yet (nbf)"),
                named("iat in the future", jwt -> jwt.time("iat", Duration.ofMinutes(10))
                        .time("exp", Duration.ofMinutes(20)), "issued in the future"),
                named("no exp", jwt -> jwt.claim("exp", null), "no exp"),
                named("wrong iss", jwt -> jwt.claim("iss", "https://evil.example/"), "issuer is not"),
                named("alg none", ForgedJwt::unsigned, "alg none"),
                named("typ id_token+jwt", jwt -> jwt.type("id_token+jwt"), "type"),
                named("typ logout+jwt", jwt -> jwt.type("logout+jwt"), "type"),
                named("HS256 with the RSA public key as secret", jwt -> jwt.hmac(pemUnchecked(jwt)), "HS256"),
                named("bad RS256 signature", ForgedJwt::corruptSignature, "signature"),
                named("another key under the published kid", jwt -> jwt.signedWith(attacker).kid("k1"), "signature"),
                named("kid absent from the JWKS", jwt -> jwt.signedWith(unpublished), "unknown key"),
                Named.of("opaque", new AccessTokenCase(null, "2YotnFZFEjr1zCsicMWpAA", "not a JWT")));
    }

    @ParameterizedTest(name = "login whose access token has {0}")
    @MethodSource("forgedAccessTokens")
    void loginWhoseAccessTokenIsForgedIsRefused(AccessTokenCase forged) throws Exception {
        assertLoginRefused(forged::applyTo, "access token", forged.problem());
    }

    @ParameterizedTest(name = "bearer token with {0}")
    @MethodSource("forgedAccessTokens")
    void bearerTokenThatIsForgedIsRefused(AccessTokenCase forged) throws Exception {
        String token = forged.token(idp);

        HttpResponse<String> response = new Browser(forwardauth.uri("/")).authorize("GET", APP + "/api/items",
                "Accept", "application/json", "Authorization", "Bearer " + token);

        assertEquals(401, response.statusCode(), Answers.describe(response));
        Answers.assertRefused(response, token);
        Answers.assertSecurityHeaders(response);
        String challenge = Answers.header(response, "WWW-Authenticate");
        assertTrue(challenge.contains("error=\"invalid_token\""), challenge);
        assertTrue(challenge.contains(forged.problem()), challenge);
        assertTrue(response.headers().allValues("Set-Cookie").isEmpty(), response.headers().map().toString());
    }

    @Test
    void honestBearerTokenPasses() throws Exception {
        HttpResponse<String> response = new Browser(forwardauth.uri("/")).authorize("GET", APP + "/api/items",
                "Accept", "application/json", "Authorization", "Bearer " + idp.accessToken().serialize());

        assertEquals(200, response.statusCode(), Answers.describe(response));
        assertEquals(HostileIdp.SUBJECT, Answers.header(response, "X-Forwarded-User"));
    }

    // --- helpers

    private static Named<AccessTokenCase> named(String name, Consumer<ForgedJwt> forge, String problem) {
        return Named.of(name, new AccessTokenCase(forge, null, problem));
    }

    /** From the browser's first visit to forwardauth's answer to the callback, with the IdP forging per recipe. */
    static HttpResponse<String> login(Browser browser, EmbeddedForwardAuth forwardauth, HostileIdp idp,
                                      Consumer<TokenResponse> recipe) throws Exception {
        HttpResponse<String> toIdp = browser.authorize("GET", APP + "/private", "Accept", "text/html");
        assertEquals(307, toIdp.statusCode(), Answers.describe(toIdp));
        assertTrue(Answers.location(toIdp).startsWith(idp.issuer() + "/authorize?"), Answers.location(toIdp));
        HttpResponse<String> atIdp = browser.visit(Answers.location(toIdp));
        assertEquals(302, atIdp.statusCode(), atIdp.body());
        idp.nextTokens(recipe);
        return browser.route(Answers.location(atIdp), "Accept", "text/html");
    }

    private void assertLoginRefused(Consumer<TokenResponse> recipe, String... problem) throws Exception {
        Browser browser = new Browser(forwardauth.uri("/"));
        HttpResponse<String> signin = login(browser, forwardauth, idp, recipe);
        assertLoginPageRefuses(signin, browser, idp, problem);
    }

    /** A readable 4xx page naming the problem, no session now or on the next request. */
    private static void assertLoginPageRefuses(HttpResponse<String> signin, Browser browser, HostileIdp idp,
                                               String... problem) throws Exception {
        Answers.assertRefused(signin, idp.lastIssued());
        Answers.assertSecurityHeaders(signin);
        assertTrue(signin.headers().firstValue("Content-Type").orElse("").startsWith("text/html"),
                Answers.describe(signin));
        assertTrue(signin.body().contains("Sign-in failed"), Answers.describe(signin));
        String page = signin.body().toLowerCase(Locale.ROOT);
        for (String words : problem) {
            assertTrue(page.contains(words.toLowerCase(Locale.ROOT)
                    .replace("&", "&amp;").replace("\"", "&quot;").replace("'", "&#39;")),
                    "the page does not name the problem (" + words + "): " + signin.body());
        }
        assertFalse(browser.cookies.containsKey(Answers.SESSION_COOKIE), browser.toString());
        HttpResponse<String> next = browser.authorize("GET", APP + "/private", "Accept", "text/html");
        assertEquals(307, next.statusCode(), "no session after a refused login: " + Answers.describe(next));
    }

    private static byte[] pem(RSAKey key) throws Exception {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.toRSAPublicKey().getEncoded());
        return ("-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** The PEM of the key the token names: that is what a confused verifier would use as the HMAC secret. */
    private static byte[] pemUnchecked(ForgedJwt jwt) {
        try {
            return pem(jwt.key());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
