package dev.forwardauth.hostile;

import static dev.forwardauth.hostile.HostileIdp.AUDIENCE;
import static dev.forwardauth.hostile.HostileIdp.CLIENT_ID;
import static dev.forwardauth.hostile.HostileIdp.CLIENT_SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.IDN;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile clients against the packaged WAR ({@code java -jar target/forwardauth.war}, the launcher's HTTP
 * limits included) at /authorize, /signin, /start and /signout: headers left out, oversized, with CR, LF,
 * NUL or bytes that are not UTF-8 (sent raw over a socket where an HTTP client refuses), garbage, truncated,
 * replayed, oversized and too many cookies, and open-redirect tricks in {@code rd} and in the URL a login
 * returns to. None may yield a 2xx where a login is needed, a 5xx, a redirect off the configured hosts, a
 * session, or a stack trace (in the answer or in forwardauth's log). The IdP is {@link HostileIdp}, honest here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileClientIT {
    static final String APP = "https://app.example.com";
    static final String PRIVATE = APP + "/private/report";
    /** Where forwardauth may send a browser: the app, and the IdP (on 127.0.0.1) for sign-in and sign-out. */
    static final Set<String> CONFIGURED_HOSTS = Set.of("app.example.com", "127.0.0.1");
    private static final Pattern LOGGED_STACK_TRACE = Pattern.compile("\\n\\s+at [\\w$.]+\\(|Caused by:");

    @TempDir
    static Path dir;

    HostileIdp idp;
    ForwardAuthWar war;
    private int logMark;

    @BeforeAll
    void start() throws Exception {
        idp = new HostileIdp();
        war = ForwardAuthWar.start(dir, """
                {
                  "domain": "%s",
                  "session-secret": "0123456789abcdef0123456789abcdef",
                  "default": {
                    "client-id": "%s",
                    "client-secret": "%s",
                    "audience": "%s",
                    "redirect-uri": "https://app.example.com/oauth2/signin",
                    "return-to": "https://app.example.com/signed-out",
                    "rules": [
                      {"path": "/public/**", "allow": "anonymous"},
                      {"path": "/internal/**", "allow": "deny"}
                    ]
                  }
                }
                """.formatted(idp.issuer(), CLIENT_ID, CLIENT_SECRET, AUDIENCE));
    }

    @AfterAll
    void stop() {
        war.close();
        idp.close();
    }

    @BeforeEach
    void markLog() throws Exception {
        logMark = war.log().length();
    }

    @AfterEach
    void nothingHostileReachesTheLogAsAStackTrace() throws Exception {
        String log = war.log().substring(logMark);
        assertFalse(LOGGED_STACK_TRACE.matcher(log).find(), "stack trace in forwardauth's log:\n" + log);
        // Whatever was thrown at it, forwardauth still serves.
        assertEquals(200, browser().call("/health").statusCode());
    }

    // --- X-Forwarded-* left out, one at a time, at every route

    static Stream<Arguments> routesWithoutOneForwardedHeader() {
        List<Arguments> cases = new ArrayList<>();
        for (String route : List.of("/authorize", "/oauth2/authorize", "/auth-request", "/oauth2/signin?code=c&state=s",
                "/oauth2/start?rd=" + URLEncoder.encode(APP + "/x", StandardCharsets.UTF_8), "/oauth2/signout")) {
            for (String header : List.of("X-Forwarded-Method", "X-Forwarded-Proto", "X-Forwarded-Host",
                    "X-Forwarded-Uri")) {
                cases.add(Arguments.of(route, header));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} without {1}")
    @MethodSource("routesWithoutOneForwardedHeader")
    void aMissingForwardedHeaderNeverPassesNorErrs(String route, String missing) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Forwarded-Method", "GET");
        headers.put("X-Forwarded-Proto", "https");
        headers.put("X-Forwarded-Host", "app.example.com");
        headers.put("X-Forwarded-Uri", "/private/report");
        headers.put("Accept", "text/html");
        headers.remove(missing);

        HttpResponse<String> response = browser().call(route, flatten(headers));

        Answers.assertNoPassNoError(response);
        Answers.assertRedirectStaysOn(response, CONFIGURED_HOSTS);
        Answers.assertSecurityHeaders(response);
        if (route.endsWith("/authorize") || route.equals("/auth-request")) {
            assertEquals(400, response.statusCode(), Answers.describe(response));
            assertTrue(response.body().contains(missing), "the answer does not name " + missing + ": "
                    + Answers.describe(response));
        }
    }

    // --- Oversized

    static Stream<Named<String>> oversizedRequests() {
        String forwarded = "X-Forwarded-Method: GET\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: app.example.com\r\n"
                + "Accept: text/html\r\n";
        String longRd = APP + "/" + "a".repeat(5000);
        StringBuilder manyUris = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            manyUris.append("X-Forwarded-Uri: /private/").append(i).append("\r\n");
        }
        return Stream.of(
                Named.of("X-Forwarded-Uri of 9000 characters", RawHttp.get("/authorize",
                        forwarded + "X-Forwarded-Uri: /" + "a".repeat(9000))),
                Named.of("a header of 40 KB", RawHttp.get("/authorize",
                        forwarded + "X-Forwarded-Uri: /private\r\nX-Padding: " + "p".repeat(40 * 1024))),
                Named.of("headers of 64 KB in all", RawHttp.get("/authorize",
                        forwarded + "X-Forwarded-Uri: /private\r\n" + "X-Padding: 0123456789abcdef\r\n".repeat(2200))),
                Named.of("a request URI of 100 KB", RawHttp.get("/authorize?x=" + "u".repeat(100 * 1024),
                        forwarded + "X-Forwarded-Uri: /private")),
                Named.of("a start URL of 100 KB", RawHttp.get("/oauth2/start?rd=" + "u".repeat(100 * 1024),
                        "Accept: text/html")),
                Named.of("an rd of 5000 characters", RawHttp.get("/oauth2/start?rd="
                        + URLEncoder.encode(longRd, StandardCharsets.UTF_8), "Accept: text/html")),
                Named.of("a state of 20 KB", RawHttp.get("/oauth2/signin?code=c&state=" + "s".repeat(20 * 1024),
                        "Accept: text/html")),
                Named.of("X-Forwarded-Uri sent 500 times", RawHttp.get("/authorize", forwarded + manyUris.toString().strip())),
                Named.of("a session cookie of 30 KB", RawHttp.get("/authorize", forwarded
                        + "X-Forwarded-Uri: /private\r\nCookie: FORWARDAUTH=v1." + "A".repeat(30 * 1024))),
                Named.of("a session cookie of 40 KB", RawHttp.get("/authorize", forwarded
                        + "X-Forwarded-Uri: /private\r\nCookie: FORWARDAUTH=v1." + "A".repeat(40 * 1024))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oversizedRequests")
    void oversizedRequestsNeverPassNorErr(String request) throws Exception {
        HttpResponse<String> response = RawHttp.send(war.port(), request);

        Answers.assertNoPassNoError(response);
        Answers.assertRedirectStaysOn(response, CONFIGURED_HOSTS);
        // Also the answers Jetty gives itself before the webapp (431, 414): ServerErrorHandler.
        Answers.assertSecurityHeaders(response);
    }

    // --- CR, LF, NUL and bytes that are not UTF-8

    static Stream<Named<String>> controlAndNonUtf8Requests() {
        String proto = "X-Forwarded-Method: GET\r\nX-Forwarded-Proto: https\r\nAccept: text/html";
        String host = "X-Forwarded-Host: app.example.com";
        String uri = "X-Forwarded-Uri: /private";
        return Stream.of(
                Named.of("CR inside X-Forwarded-Uri", RawHttp.get("/authorize", proto, host,
                        "X-Forwarded-Uri: /private\rSet-Cookie: FORWARDAUTH=forged")),
                Named.of("LF inside X-Forwarded-Uri", RawHttp.get("/authorize", proto, host,
                        "X-Forwarded-Uri: /private\nX-Forwarded-User: admin")),
                Named.of("NUL inside X-Forwarded-Uri", RawHttp.get("/authorize", proto, host,
                        "X-Forwarded-Uri: /private\u0000/../public/x")),
                Named.of("NUL inside X-Forwarded-Host", RawHttp.get("/authorize", proto, uri,
                        "X-Forwarded-Host: app.example.com\u0000.evil.com")),
                Named.of("CR inside X-Forwarded-Host", RawHttp.get("/authorize", proto, uri,
                        "X-Forwarded-Host: app.example.com\revil.com")),
                Named.of("a folded X-Forwarded-Host", RawHttp.get("/authorize", proto, uri,
                        "X-Forwarded-Host: app.example.com", " evil.com")),
                Named.of("escaped CR LF in X-Forwarded-Uri", RawHttp.get("/authorize", proto, host,
                        "X-Forwarded-Uri: /private%0d%0aSet-Cookie:%20FORWARDAUTH=forged")),
                Named.of("escaped NUL in X-Forwarded-Uri", RawHttp.get("/authorize", proto, host,
                        "X-Forwarded-Uri: /public/%00/../../private")),
                Named.of("byte 0xFF in X-Forwarded-Uri", RawHttp.get("/authorize", proto, host,
                        "X-Forwarded-Uri: /private/\u00ff")),
                Named.of("invalid UTF-8 in X-Forwarded-Uri", RawHttp.get("/authorize", proto, host,
                        "X-Forwarded-Uri: /public/\u00c3\u0028")),
                Named.of("invalid UTF-8 in X-Forwarded-Host", RawHttp.get("/authorize", proto, uri,
                        "X-Forwarded-Host: app.example.com\u00c3\u0028")),
                Named.of("invalid UTF-8 in X-Forwarded-Method", RawHttp.get("/authorize", host, uri,
                        "X-Forwarded-Proto: https", "X-Forwarded-Method: G\u00c3\u0028T")),
                Named.of("invalid UTF-8 in the session cookie", RawHttp.get("/authorize", proto, host, uri,
                        "Cookie: FORWARDAUTH=v1.\u00c3\u0028\u00ff\u00fe")),
                Named.of("byte 0xFF in the request target", RawHttp.get("/authorize/\u00ff", proto, host, uri)),
                Named.of("escaped CR LF in rd", RawHttp.get("/oauth2/start?rd="
                        + "https%3A%2F%2Fapp.example.com%2F%0D%0ASet-Cookie%3A%20FORWARDAUTH%3Dforged", "Accept: text/html")),
                Named.of("escaped NUL in rd", RawHttp.get("/oauth2/start?rd=https%3A%2F%2Fapp.example.com%00.evil.com%2F",
                        "Accept: text/html")),
                Named.of("raw CR in rd", RawHttp.get("/oauth2/start?rd=https://app.example.com/\rX:y", "Accept: text/html")),
                Named.of("escaped invalid UTF-8 in rd", RawHttp.get("/oauth2/start?rd=https%3A%2F%2Fapp.example.com%2F%C3%28%FF",
                        "Accept: text/html")),
                Named.of("bad escape in rd", RawHttp.get("/oauth2/start?rd=https%3A%2F%2Fapp.example.com%2F%ZZ%",
                        "Accept: text/html")),
                Named.of("escaped invalid UTF-8 in state", RawHttp.get("/oauth2/signin?code=c&state=%C3%28%FF",
                        "Accept: text/html")),
                Named.of("escaped CR LF in state", RawHttp.get("/oauth2/signin?code=c&state=s%0D%0ASet-Cookie:%20x%3Dy",
                        "Accept: text/html")),
                Named.of("escaped invalid UTF-8 in error_description", RawHttp.get(
                        "/oauth2/signin?state=s&error=access_denied&error_description=%C3%28%FF", "Accept: text/html")),
                Named.of("escaped invalid UTF-8 in the authorize query", RawHttp.get("/authorize?client_name=%C3%28",
                        proto, host, uri)),
                Named.of("bad escape in the authorize query", RawHttp.get("/authorize?force_clients=%ZZ", proto, host, uri)),
                Named.of("a malformed form body to /authorize", "POST /authorize HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + proto + "\r\n" + host + "\r\n" + uri + "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                        + "Content-Length: 9\r\nConnection: close\r\n\r\na=%C3%28%Z"),
                Named.of("a malformed form body to /signout", "POST /oauth2/signout HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "X-Forwarded-Proto: https\r\n" + host + "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                        + "Content-Length: 6\r\nConnection: close\r\n\r\nrd=%ZZ"),
                Named.of("invalid UTF-8 in the signout host", RawHttp.get("/oauth2/signout", "X-Forwarded-Proto: https",
                        "X-Forwarded-Host: app.example.com\u00c3\u0028", "Accept: text/html")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("controlAndNonUtf8Requests")
    void controlCharactersAndBadBytesNeverPassNorErr(String request) throws Exception {
        HttpResponse<String> response = RawHttp.send(war.port(), request);

        Answers.assertNoPassNoError(response);
        Answers.assertRedirectStaysOn(response, CONFIGURED_HOSTS);
        Answers.assertSecurityHeaders(response);
        for (String setCookie : response.headers().allValues("Set-Cookie")) {
            assertFalse(setCookie.contains("forged") || setCookie.startsWith("x="), "injected cookie: " + setCookie);
        }
        assertTrue(response.headers().allValues("X-Forwarded-User").isEmpty(), Answers.describe(response));
    }

    // --- Garbage and truncated requests

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u00fc\u0003\u0003garbage-tls-client-hello\r\n\r\n",
            "GARBAGE\r\n\r\n",
            "GET /authorize HTTP/1.1\r\n\r\n",
            "GET /authorize HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n",
            "GET /authorize HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nzzz"})
    void garbageRequestsAreRefused(String request) throws Exception {
        HttpResponse<String> response = RawHttp.send(war.port(), request);

        Answers.assertNoPassNoError(response);
    }

    @Test
    void anHttp09RequestIsRefusedAsAnUnsupportedVersion() throws Exception {
        // The one 5xx a client can cause: HTTP/0.9 (a request line without a version) is answered by the
        // server itself, before forwardauth, with 505 HTTP Version Not Supported, the status RFC 9110 defines
        // for it. Nothing passes and nothing fails inside forwardauth.
        HttpResponse<String> response = RawHttp.send(war.port(), "GET /authorize\r\n\r\n");

        assertEquals(505, response.statusCode(), Answers.describe(response));
        Answers.assertNoSession(response);
        Answers.assertNoStackTrace(response);
    }

    @Test
    void aTruncatedRequestGetsNoAnswerAndHarmsNothing() throws Exception {
        // The client stops in the middle of a header and closes its side: nothing to answer. The check that
        // forwardauth still serves is in every test's @AfterEach.
        assertTrue(RawHttp.sendExpectingSilenceOr4xx(war.port(),
                "GET /authorize HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Method: GE"));
    }

    // --- Session cookies: garbage, truncated, oversized, dozens, replayed

    static Stream<Named<String>> badSessionCookies() {
        Random random = new Random(8);
        byte[] noise = new byte[300];
        random.nextBytes(noise);
        String noiseV1 = "v1." + Base64.getUrlEncoder().withoutPadding().encodeToString(noise);
        StringBuilder dozens = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            dozens.append(i == 0 ? "" : "; ").append(switch (i % 4) {
                case 0 -> "FORWARDAUTH=" + noiseV1.substring(0, 40 + i);
                case 1 -> "FORWARDAUTH_" + i + "=" + noiseV1.substring(i);
                case 2 -> "FORWARDAUTH_LOGIN_" + "%016d".formatted(i) + "=" + noiseV1;
                default -> "tracker" + i + "=" + "x".repeat(100);
            });
        }
        return Stream.of(
                Named.of("empty", "FORWARDAUTH="),
                Named.of("just the version", "FORWARDAUTH=v1."),
                Named.of("not base64", "FORWARDAUTH=v1.!!!***"),
                Named.of("an unknown version", "FORWARDAUTH=v2." + noiseV1.substring(3)),
                Named.of("random sealed-looking bytes", "FORWARDAUTH=" + noiseV1),
                Named.of("quoted", "FORWARDAUTH=\"" + noiseV1 + "\""),
                Named.of("chunks without a first part", "FORWARDAUTH_1=" + noiseV1 + "; FORWARDAUTH_2=" + noiseV1),
                Named.of("a chunk count that lies", "FORWARDAUTH=" + noiseV1 + "; FORWARDAUTH_1=; FORWARDAUTH_99=x"),
                Named.of("20 KB of sealed-looking bytes", "FORWARDAUTH=v1." + "QUFB".repeat(5 * 1024)),
                Named.of("60 cookies, ours among them", dozens.toString()),
                Named.of("the same name 30 times", ("FORWARDAUTH=" + noiseV1 + "; ").repeat(30) + "FORWARDAUTH=x"));
    }

    @ParameterizedTest(name = "session cookie {0}")
    @MethodSource("badSessionCookies")
    void aBadSessionCookieIsNoSessionAnywhere(String cookieHeader) throws Exception {
        // A fresh browser each time: only this Cookie header is sent.
        HttpResponse<String> authorize = browser().authorize("GET", PRIVATE, "Accept", "text/html", "Cookie", cookieHeader);
        HttpResponse<String> api = browser().authorize("GET", PRIVATE, "Accept", "application/json", "Cookie", cookieHeader);
        HttpResponse<String> userinfo = browser().route(APP + "/oauth2/userinfo", "Cookie", cookieHeader);
        HttpResponse<String> signin = browser().route(APP + "/oauth2/signin?code=c&state=s", "Accept", "text/html",
                "Cookie", cookieHeader);

        assertEquals(307, authorize.statusCode(), Answers.describe(authorize));
        assertEquals(401, api.statusCode(), Answers.describe(api));
        assertEquals(401, userinfo.statusCode(), Answers.describe(userinfo));
        assertEquals(400, signin.statusCode(), Answers.describe(signin));
        for (HttpResponse<String> response : List.of(authorize, api, userinfo, signin)) {
            Answers.assertNoPassNoError(response);
            Answers.assertRedirectStaysOn(response, CONFIGURED_HOSTS);
            Answers.assertSecurityHeaders(response);
        }
    }

    @Test
    void aTruncatedOrAlteredSessionCookieIsNoSession() throws Exception {
        Browser browser = browser();
        login(browser, PRIVATE);
        String sealed = browser.cookies.get(Answers.SESSION_COOKIE);
        assertEquals(200, browser.authorize("GET", PRIVATE, "Accept", "text/html").statusCode());

        for (String forged : List.of(sealed.substring(0, sealed.length() / 2), sealed.substring(0, sealed.length() - 1),
                sealed + "A", flipOneCharacter(sealed), sealed.replace("v1.", "v1.v1."))) {
            Browser thief = browser();
            thief.cookies.put(Answers.SESSION_COOKIE, forged);

            HttpResponse<String> response = thief.authorize("GET", PRIVATE, "Accept", "text/html");

            assertEquals(307, response.statusCode(), Answers.describe(response));
            Answers.assertNoPassNoError(response);
        }
    }

    @Test
    void aCopiedSessionCookieWorksUntilItExpiresEvenAfterSignoutAndNeverAfter() throws Exception {
        // The honest guarantee of a stateless session: /signout deletes the cookie in this browser and ends
        // the IdP's session, but forwardauth keeps no list of sessions, so a copy of the cookie taken before
        // works until the expiry sealed inside it (here the access token's, 6 s; in general session-max-age at
        // most) and never after. It cannot be extended: the expiry is authenticated with the rest.
        Browser browser = browser();
        AtomicReference<Instant> expiry = new AtomicReference<>();
        login(browser, PRIVATE, tokens -> {
            // Counted from the token response, so a slow first login cannot eat into it.
            expiry.set(Instant.now().plusSeconds(6));
            tokens.accessToken.claim("exp", expiry.get().getEpochSecond());
            tokens.expiresIn = 6;
        });
        String copy = browser.cookies.get(Answers.SESSION_COOKIE);

        HttpResponse<String> signout = browser.route(APP + "/oauth2/signout", "Accept", "text/html");
        assertEquals(302, signout.statusCode(), Answers.describe(signout));
        assertFalse(browser.cookies.containsKey(Answers.SESSION_COOKIE), "signout did not delete the cookie");
        assertEquals(307, browser.authorize("GET", PRIVATE, "Accept", "text/html").statusCode(),
                "the signed-out browser itself has no session");

        Browser replay = browser();
        replay.cookies.put(Answers.SESSION_COOKIE, copy);
        HttpResponse<String> beforeExpiry = replay.authorize("GET", PRIVATE, "Accept", "text/html");
        Answers.waitUntil(expiry.get().plusSeconds(2));
        HttpResponse<String> afterExpiry = replay.authorize("GET", PRIVATE, "Accept", "text/html");
        HttpResponse<String> apiAfterExpiry = replay.authorize("GET", PRIVATE, "Accept", "application/json");

        assertEquals(200, beforeExpiry.statusCode(), "stateless: a copy works until it expires");
        assertEquals(307, afterExpiry.statusCode(), Answers.describe(afterExpiry));
        assertEquals(401, apiAfterExpiry.statusCode(), Answers.describe(apiAfterExpiry));
        Answers.assertNoPassNoError(afterExpiry);
    }

    // --- Open redirects: rd at /start, and the URL a login returns to

    static Stream<Named<String>> foreignReturnUrls() {
        return Stream.of(
                Named.of("//x", "//evil.com/"),
                Named.of("/\\x", "/\\evil.com/"),
                Named.of("/%09/x", "/%09/evil.com"),
                Named.of("/\t/x", "/\t/evil.com"),
                Named.of("https:x", "https:evil.com"),
                Named.of("https:/x", "https:/evil.com"),
                Named.of("https:///x", "https:///evil.com"),
                Named.of("userinfo @", "https://app.example.com@evil.com/"),
                Named.of("userinfo with port @", "https://app.example.com:443@evil.com/"),
                Named.of("userinfo behind a backslash", "https://evil.com\\@app.example.com/"),
                Named.of("host as a prefix", "https://app.example.com.evil.com/"),
                Named.of("other host", "https://evil.com/"),
                Named.of("mixed case other host", "HtTpS://EvIl.CoM/"),
                Named.of("IDN lookalike (Cyrillic a)", "https://\u0430pp.example.com/"),
                Named.of("punycode lookalike", "https://" + IDN.toASCII("\u0430pp.example.com") + "/"),
                Named.of("fullwidth dot", "https://app.example.com\uff0eevil.com/"),
                Named.of("ideographic dot", "https://app.example.com\u3002evil.com/"),
                Named.of("javascript:", "javascript:alert(document.domain)"),
                Named.of("data:", "data:text/html,<script>alert(1)</script>"),
                Named.of("relative", "/private/report"),
                Named.of("escaped CR LF", "https://app.example.com/%0d%0aLocation:%20https://evil.com/\r\n"),
                Named.of("trailing dot host", "https://evil.com./"),
                Named.of("IP literal", "https://127.0.0.2/"),
                Named.of("decimal IP", "https://2130706433/"));
    }

    @ParameterizedTest(name = "rd {0}")
    @MethodSource("foreignReturnUrls")
    void startRefusesEveryForeignOrTrickReturnUrl(String rd) throws Exception {
        HttpResponse<String> response = browser().route(APP + "/oauth2/start?rd="
                + URLEncoder.encode(rd, StandardCharsets.UTF_8), "Accept", "text/html");

        assertEquals(400, response.statusCode(), "[" + rd + "] " + Answers.describe(response));
        assertTrue(response.headers().firstValue("Location").isEmpty(), Answers.describe(response));
        assertFalse(Answers.setsPendingLogin(response));
        Answers.assertNoPassNoError(response);
        Answers.assertSecurityHeaders(response);
    }

    @ParameterizedTest(name = "rd {0}")
    @ValueSource(strings = {"HTTPS://APP.EXAMPLE.COM/private/report", "https://App.Example.Com./private/report"})
    void startAcceptsTheConfiguredHostInAnySpellingAndReturnsThere(String rd) throws Exception {
        Browser browser = browser();
        HttpResponse<String> toIdp = browser.route(APP + "/oauth2/start?rd=" + URLEncoder.encode(rd, StandardCharsets.UTF_8),
                "Accept", "text/html");
        assertEquals(307, toIdp.statusCode(), Answers.describe(toIdp));

        HttpResponse<String> signin = finishLogin(browser, toIdp, tokens -> { });

        assertEquals(302, signin.statusCode(), Answers.describe(signin));
        assertEquals(rd, Answers.location(signin));
        Answers.assertRedirectStaysOn(signin, CONFIGURED_HOSTS);
    }

    static Stream<Arguments> foreignOriginalRequests() {
        return Stream.of(
                Arguments.of(Named.of("another host", "evil.com"), "/"),
                Arguments.of(Named.of("the app's name as a prefix", "app.example.com.evil.com"), "/"),
                Arguments.of(Named.of("a punycode lookalike", IDN.toASCII("\u0430pp.example.com")), "/"),
                Arguments.of(Named.of("mixed case other host", "EVIL.example.NET"), "/"),
                Arguments.of(Named.of("userinfo @", "app.example.com@evil.com"), "/"),
                Arguments.of(Named.of("a second host after a comma", "app.example.com,evil.com"), "/"),
                Arguments.of(Named.of("//x in the path", "app.example.com"), "//evil.com/x"),
                Arguments.of(Named.of("/\\x in the path", "app.example.com"), "/\\evil.com"),
                Arguments.of(Named.of("/%09/x in the path", "app.example.com"), "/%09/evil.com"),
                Arguments.of(Named.of("/%2F%2Fx in the path", "app.example.com"), "/%2F%2Fevil.com"),
                Arguments.of(Named.of("an absolute URL as the path", "app.example.com"), "https://evil.com/"),
                Arguments.of(Named.of("@ in the path", "app.example.com"), "/@evil.com"),
                Arguments.of(Named.of("escaped CR LF in the path", "app.example.com"), "/%0d%0aLocation:%20https://evil.com"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("foreignOriginalRequests")
    void aLoginNeverReturnsOffTheConfiguredHosts(String forwardedHost, String forwardedUri) throws Exception {
        // The original URL comes from X-Forwarded-Host (the client's Host header, passed on by Traefik) and
        // -Uri. The default app serves any host, so a login may start; it must not end anywhere but here.
        Browser browser = browser();
        HttpResponse<String> start = browser.call("/authorize", "X-Forwarded-Method", "GET", "X-Forwarded-Proto",
                "https", "X-Forwarded-Host", forwardedHost, "X-Forwarded-Uri", forwardedUri, "Accept", "text/html");
        Answers.assertNoPassNoError(start);
        Answers.assertRedirectStaysOn(start, CONFIGURED_HOSTS);
        if (start.statusCode() != 307) {
            assertEquals(400, start.statusCode(), Answers.describe(start));
            return;
        }

        HttpResponse<String> signin = finishLogin(browser, start, tokens -> { });

        Answers.assertNoStackTrace(signin);
        Answers.assertRedirectStaysOn(signin, Set.of("app.example.com"));
        if (signin.statusCode() != 302) {
            // Signed in at the app's own host, but not sent to the foreign one.
            assertEquals(400, signin.statusCode(), Answers.describe(signin));
            assertTrue(signin.body().contains("will not send you there"), Answers.describe(signin));
        }
    }

    @Test
    void signoutGoesOnlyToTheConfiguredReturnToWhateverTheRequestSays() throws Exception {
        Browser browser = browser();
        login(browser, PRIVATE);

        HttpResponse<String> signout = browser.route(APP + "/oauth2/signout?rd=https://evil.com/&returnTo=https://evil.com/"
                + "&post_logout_redirect_uri=https://evil.com/", "Accept", "text/html");

        assertEquals(302, signout.statusCode(), Answers.describe(signout));
        Answers.assertRedirectStaysOn(signout, CONFIGURED_HOSTS);
        String location = Answers.location(signout);
        assertTrue(location.startsWith(idp.issuer() + "/logout?"), location);
        assertEquals(APP + "/signed-out", Answers.query(location).get("post_logout_redirect_uri"), location);
        assertFalse(location.contains("evil"), location);
    }

    // --- Security headers on every answer forwardauth writes

    static Stream<Arguments> forwardauthAnswers() {
        return Stream.of(
                Arguments.of(Named.of("/authorize 307 to sign in", "/authorize"), "GET", "/private", "text/html", 307),
                Arguments.of(Named.of("/authorize 401 for an API client", "/authorize"), "GET", "/private",
                        "application/json", 401),
                Arguments.of(Named.of("/authorize 403 for a deny rule (page)", "/authorize"), "GET", "/internal/x",
                        "text/html", 403),
                Arguments.of(Named.of("/authorize 403 for a deny rule (JSON)", "/authorize"), "GET", "/internal/x",
                        "application/json", 403),
                Arguments.of(Named.of("/authorize 400 for a refused path", "/authorize"), "GET", "/a/../../b",
                        "text/html", 400),
                Arguments.of(Named.of("/authorize 200 anonymous", "/authorize"), "GET", "/public/a.css", "text/html", 200),
                Arguments.of(Named.of("/auth-request 401 for nginx", "/auth-request"), "GET", "/private", "text/html", 401),
                Arguments.of(Named.of("/start 307 to sign in", "/oauth2/start?rd=https%3A%2F%2Fapp.example.com%2F"),
                        null, null, "text/html", 307),
                Arguments.of(Named.of("/start 400 page", "/oauth2/start?rd=https%3A%2F%2Fevil.com%2F"),
                        null, null, "text/html", 400),
                Arguments.of(Named.of("/signin 400 page", "/oauth2/signin?code=c&state=s"), null, null, "text/html", 400),
                Arguments.of(Named.of("/signin 400 JSON", "/oauth2/signin?code=c&state=s"), null, null,
                        "application/json", 400),
                Arguments.of(Named.of("/signout 302", "/oauth2/signout"), null, null, "text/html", 302),
                Arguments.of(Named.of("/userinfo 401 JSON", "/oauth2/userinfo"), null, null, "text/html", 401),
                Arguments.of(Named.of("/health 200 JSON", "/health"), null, null, "*/*", 200),
                Arguments.of(Named.of("404 JSON", "/index.html"), null, null, "text/html", 404));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forwardauthAnswers")
    void everyAnswerCarriesTheSecurityHeaders(String route, String method, String uri, String accept, int status)
            throws Exception {
        List<String> headers = new ArrayList<>(List.of("Accept", accept, "X-Forwarded-Proto", "https",
                "X-Forwarded-Host", "app.example.com"));
        if (method != null) {
            headers.addAll(List.of("X-Forwarded-Method", method, "X-Forwarded-Uri", uri));
        }

        HttpResponse<String> response = browser().call(route, headers.toArray(String[]::new));

        assertEquals(status, response.statusCode(), Answers.describe(response));
        Answers.assertSecurityHeaders(response);
    }

    @Test
    void signedInAnswersCarryTheSecurityHeadersToo() throws Exception {
        Browser browser = browser();
        HttpResponse<String> signin = login(browser, PRIVATE);
        HttpResponse<String> pass = browser.authorize("GET", PRIVATE, "Accept", "text/html");
        HttpResponse<String> userinfo = browser.route(APP + "/oauth2/userinfo", "Accept", "application/json");

        assertEquals(200, pass.statusCode(), Answers.describe(pass));
        assertEquals(200, userinfo.statusCode(), Answers.describe(userinfo));
        for (HttpResponse<String> response : List.of(signin, pass, userinfo)) {
            Answers.assertSecurityHeaders(response);
        }
        // The log holds no token of this login.
        for (String token : idp.lastIssued()) {
            assertFalse(war.log().contains(token), "a token in forwardauth's log");
        }
    }

    // --- helpers

    private Browser browser() {
        return new Browser(war.uri("/"));
    }

    private HttpResponse<String> login(Browser browser, String url) throws Exception {
        return login(browser, url, tokens -> { });
    }

    /** A whole login that must succeed: 307, the IdP, /signin answers 302 back to {@code url} with a session. */
    private HttpResponse<String> login(Browser browser, String url, Consumer<HostileIdp.TokenResponse> recipe)
            throws Exception {
        HttpResponse<String> toIdp = browser.authorize("GET", url, "Accept", "text/html");
        assertEquals(307, toIdp.statusCode(), Answers.describe(toIdp));
        HttpResponse<String> signin = finishLogin(browser, toIdp, recipe);
        assertEquals(302, signin.statusCode(), Answers.describe(signin));
        assertEquals(url, Answers.location(signin));
        assertTrue(Answers.setsSession(signin));
        return signin;
    }

    private HttpResponse<String> finishLogin(Browser browser, HttpResponse<String> toIdp,
                                             Consumer<HostileIdp.TokenResponse> recipe) throws Exception {
        HttpResponse<String> atIdp = browser.visit(Answers.location(toIdp));
        assertEquals(302, atIdp.statusCode(), atIdp.body());
        idp.nextTokens(recipe);
        return browser.route(Answers.location(atIdp), "Accept", "text/html");
    }

    private static String[] flatten(Map<String, String> headers) {
        List<String> flat = new ArrayList<>();
        headers.forEach((name, value) -> {
            flat.add(name);
            flat.add(value);
        });
        return flat.toArray(String[]::new);
    }

    private static String flipOneCharacter(String sealed) {
        int at = sealed.length() / 3;
        char c = sealed.charAt(at);
        return sealed.substring(0, at) + (c == 'A' ? 'B' : 'A') + sealed.substring(at + 1);
    }
}
