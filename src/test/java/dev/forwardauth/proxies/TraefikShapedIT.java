package dev.forwardauth.proxies;

import dev.forwardauth.web.EmbeddedForwardAuth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Traefik cannot be installed from Debian's packages, so this test plays Traefik: it sends forwardauth
 * exactly what Traefik's forwardAuth middleware sends (a GET to the address with X-Forwarded-Method,
 * -Proto, -Host, -Uri and -For, the client's own headers, no body) and what its router sends for
 * {@code /oauth2/}, and it treats the answers as Traefik does: a non-2xx goes to the client as it is; on a
 * 2xx only the headers of {@code authResponseHeaders} reach the app and only the cookies of
 * {@code addAuthCookiesToResponse} reach the browser. Both lists are read from the Kubernetes Middleware
 * in docs/traefik.md, so the documented configuration is the one tested.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TraefikShapedIT {
    static final String APP = "https://app.example.com";
    static final String CLIENT_IP = "203.0.113.7";
    static final Map<String, Object> ALICE = Map.of("name", "Alice", "email", "alice@example.com");

    MockOAuth2Server idp;
    EmbeddedForwardAuth forwardauth;
    List<String> authResponseHeaders;
    List<String> addAuthCookiesToResponse;

    @BeforeAll
    void start() throws Exception {
        String docs = Files.readString(Path.of("docs/traefik.md"));
        authResponseHeaders = documentedList(docs, "authResponseHeaders");
        addAuthCookiesToResponse = documentedList(docs, "addAuthCookiesToResponse");
        idp = new MockOAuth2Server();
        idp.start(InetAddress.getLoopbackAddress(), 0);
        forwardauth = new EmbeddedForwardAuth("""
                {
                  "domain": "%s",
                  "session-secret": "0123456789abcdef0123456789abcdef",
                  "trusted-proxies": ["127.0.0.0/8", "::1/128"],
                  "default": {
                    "client-id": "%s",
                    "client-secret": "secret",
                    "audience": "%s",
                    "scope": "openid profile email offline_access",
                    "redirect-uri": "%s/oauth2/signin",
                    "rules": [{"path": "/public/**", "allow": "anonymous"}]
                  }
                }
                """.formatted(idp.issuerUrl(ProtectedSite.ISSUER_ID), ProtectedSite.CLIENT_ID, ProtectedSite.AUDIENCE,
                APP));
    }

    @AfterAll
    void stop() throws Exception {
        try (EmbeddedForwardAuth f = forwardauth) {
            idp.shutdown();
        }
    }

    @Test
    void theDocumentedListsAreTheOnesForwardauthUses() {
        assertEquals(List.of("Authorization", "X-Forwarded-User", "X-Forwardauth-Sub", "X-Forwardauth-Name",
                "X-Forwardauth-Email"), authResponseHeaders);
        assertEquals(List.of("FORWARDAUTH", "FORWARDAUTH_1", "FORWARDAUTH_2"), addAuthCookiesToResponse);
    }

    @Test
    void signedInUsersTwoHundredCarriesEveryListedHeader() throws Exception {
        Traefik traefik = new Traefik();
        traefik.signIn(APP + "/dashboard?tab=2", ProtectedSite.user("alice", ALICE, 3600));

        LoopbackHttp.Response answer = traefik.forwardAuth("GET", APP + "/dashboard?tab=2",
                "X-Forwarded-User", "mallory");

        assertEquals(200, answer.status(), answer.toString());
        for (String header : authResponseHeaders) {
            assertEquals(1, answer.headers(header).size(), header + " once in\n" + answer);
        }
        assertEquals("alice", answer.header("X-Forwarded-User").orElseThrow());
        assertEquals("alice", answer.header("X-Forwardauth-Sub").orElseThrow());
        assertEquals("Alice", answer.header("X-Forwardauth-Name").orElseThrow());
        assertEquals("alice@example.com", answer.header("X-Forwardauth-Email").orElseThrow());
        String bearer = answer.header("Authorization").orElseThrow();
        assertTrue(bearer.startsWith("Bearer "), bearer);
        assertEquals(List.of(ProtectedSite.AUDIENCE),
                SignedJWT.parse(bearer.substring("Bearer ".length())).getJWTClaimsSet().getAudience());
        assertEquals(List.of(), answer.headers("Set-Cookie"), "nothing to renew, nothing set");
    }

    @Test
    void anonymousTwoHundredCarriesNoListedHeader() throws Exception {
        LoopbackHttp.Response answer = new Traefik().forwardAuth("GET", APP + "/public/logo.png",
                "X-Forwarded-User", "mallory", "X-Forwardauth-Email", "mallory@evil.example");

        assertEquals(200, answer.status(), answer.toString());
        for (String header : authResponseHeaders) {
            assertEquals(List.of(), answer.headers(header), header + " in\n" + answer);
        }
    }

    @Test
    void answersTraefikReturnsAsTheyAreHaveAbsoluteLocations() throws Exception {
        LoopbackHttp.Response browser = new Traefik().forwardAuth("GET", APP + "/dashboard", "Accept", "text/html");
        LoopbackHttp.Response api = new Traefik().forwardAuth("POST", APP + "/api/orders", "Accept",
                "application/json");

        assertEquals(307, browser.status(), browser.toString());
        assertTrue(browser.location().startsWith(idp.authorizationEndpointUrl(ProtectedSite.ISSUER_ID).toString()),
                browser.location());
        assertTrue(browser.headers("Set-Cookie").stream().anyMatch(c -> c.startsWith("FORWARDAUTH_LOGIN_")),
                browser.toString());
        assertEquals(401, api.status(), api.toString());
        assertTrue(api.location().startsWith(APP + "/oauth2/start?rd="), api.location());
    }

    @Test
    void renewedSessionRidesOnTheTwoHundredInCookiesTraefikLetsThrough() throws Exception {
        Traefik traefik = new Traefik();
        // 5 s: the last check needs the renewed token still valid a moment later, also on a loaded machine.
        traefik.signIn(APP + "/", ProtectedSite.user("alice", ALICE, 5));
        LoopbackHttp.Response fresh = traefik.forwardAuth("GET", APP + "/", "Accept", "text/html");
        assertEquals(200, fresh.status(), fresh.toString());
        String first = fresh.header("Authorization").orElseThrow();
        waitForExpiry(first.substring("Bearer ".length()));

        LoopbackHttp.Response renewed = traefik.forwardAuth("GET", APP + "/", "Accept", "text/html");

        assertEquals(200, renewed.status(), renewed.toString());
        assertFalse(first.equals(renewed.header("Authorization").orElseThrow()), "a new access token");
        List<String> names = renewed.headers("Set-Cookie").stream().map(c -> c.substring(0, c.indexOf('='))).toList();
        assertTrue(names.contains("FORWARDAUTH"), renewed.toString());
        assertTrue(addAuthCookiesToResponse.containsAll(names),
                "Traefik would drop " + names + " not in addAuthCookiesToResponse " + addAuthCookiesToResponse);
        // With the renewed cookie, which Traefik passed to the browser, the next request needs no renewal.
        LoopbackHttp.Response next = traefik.forwardAuth("GET", APP + "/", "Accept", "text/html");
        assertEquals(200, next.status(), next.toString());
        assertEquals(renewed.header("Authorization"), next.header("Authorization"));
        assertEquals(List.of(), next.headers("Set-Cookie"));
    }

    /**
     * Traefik between one browser and forwardauth: the browser's cookie jar for {@code app.example.com}
     * holds what Traefik would let through to it.
     */
    final class Traefik {
        private final Map<String, String> browserCookies = new LinkedHashMap<>();

        /** The forwardAuth middleware's request for {@code method url}, with the client's headers. */
        LoopbackHttp.Response forwardAuth(String method, String url, String... clientHeaders) throws IOException {
            URI original = URI.create(url);
            List<String[]> headers = clientHeaders(clientHeaders);
            headers.add(new String[] {"X-Forwarded-Method", method});
            headers.add(new String[] {"X-Forwarded-Proto", original.getScheme()});
            headers.add(new String[] {"X-Forwarded-Host", original.getRawAuthority()});
            headers.add(new String[] {"X-Forwarded-Uri", original.getRawPath()
                    + (original.getRawQuery() == null ? "" : "?" + original.getRawQuery())});
            headers.add(new String[] {"X-Forwarded-For", CLIENT_IP});
            LoopbackHttp.Response answer = LoopbackHttp.send("GET",
                    URI.create("http://" + forwardauth.address() + "/authorize"), headers);
            boolean granted = answer.status() >= 200 && answer.status() < 300;
            keepCookies(answer, granted ? addAuthCookiesToResponse : null);
            return answer;
        }

        /** The router for {@code /oauth2/}: a reverse proxy to forwardauth, original Host kept. */
        LoopbackHttp.Response route(String url) throws IOException {
            URI external = URI.create(url);
            List<String[]> headers = clientHeaders("Accept", "text/html");
            headers.add(new String[] {"Host", external.getRawAuthority()});
            headers.add(new String[] {"X-Forwarded-Proto", external.getScheme()});
            headers.add(new String[] {"X-Forwarded-Host", external.getRawAuthority()});
            headers.add(new String[] {"X-Forwarded-Port", "443"});
            headers.add(new String[] {"X-Forwarded-For", CLIENT_IP});
            headers.add(new String[] {"X-Real-Ip", CLIENT_IP});
            LoopbackHttp.Response answer = LoopbackHttp.send("GET", URI.create("http://" + forwardauth.address()
                    + external.getRawPath() + "?" + external.getRawQuery()), headers);
            keepCookies(answer, null);
            return answer;
        }

        /** A whole login: the middleware's 307, the IdP, the callback through the router. */
        void signIn(String url, OAuth2TokenCallback user) throws IOException {
            LoopbackHttp.Response toIdp = forwardAuth("GET", url, "Accept", "text/html");
            assertEquals(307, toIdp.status(), toIdp.toString());
            LoopbackHttp.Response atIdp = LoopbackHttp.send("GET", URI.create(toIdp.location()), List.of());
            assertEquals(302, atIdp.status(), atIdp.toString());
            assertTrue(atIdp.location().startsWith(APP + "/oauth2/signin?"), atIdp.location());
            idp.enqueueCallback(user);
            LoopbackHttp.Response signin = route(atIdp.location());
            assertEquals(302, signin.status(), signin.toString());
            assertEquals(url, signin.location());
            assertTrue(browserCookies.containsKey("FORWARDAUTH"), signin.toString());
        }

        private List<String[]> clientHeaders(String... pairs) {
            List<String[]> headers = new ArrayList<>();
            headers.add(new String[] {"User-Agent", "Mozilla/5.0 (X11; Linux x86_64) forwardauth-test"});
            headers.add(new String[] {"Accept-Language", "en"});
            for (int i = 0; i < pairs.length; i += 2) {
                headers.add(new String[] {pairs[i], pairs[i + 1]});
            }
            if (!browserCookies.isEmpty()) {
                StringBuilder cookie = new StringBuilder();
                browserCookies.forEach((name, value) -> cookie.append(cookie.length() == 0 ? "" : "; ")
                        .append(name).append('=').append(value));
                headers.add(new String[] {"Cookie", cookie.toString()});
            }
            return headers;
        }

        /** @param only the cookie names Traefik passes on, or null for all (a non-2xx goes back as it is) */
        private void keepCookies(LoopbackHttp.Response answer, List<String> only) {
            for (String setCookie : answer.headers("Set-Cookie")) {
                String pair = setCookie.split(";", 2)[0];
                String name = pair.substring(0, pair.indexOf('=')).trim();
                String value = pair.substring(pair.indexOf('=') + 1).trim();
                if (only != null && !only.contains(name)) {
                    continue;
                }
                if (value.isEmpty() || setCookie.toLowerCase(Locale.ROOT).contains("max-age=0")) {
                    browserCookies.remove(name);
                } else {
                    browserCookies.put(name, value);
                }
            }
        }
    }

    /**
     * The items of a YAML list {@code key:} in docs/traefik.md's Kubernetes Middleware (the first one
     * after {@code kind: Middleware}), one {@code - item} a line.
     */
    static List<String> documentedList(String docs, String key) {
        int middleware = docs.indexOf("kind: Middleware");
        assertTrue(middleware >= 0, "docs/traefik.md has no Kubernetes Middleware");
        List<String> items = new ArrayList<>();
        boolean inList = false;
        for (String line : docs.substring(middleware).split("\n")) {
            String trimmed = line.trim();
            if (trimmed.equals(key + ":")) {
                inList = true;
            } else if (inList && trimmed.startsWith("- ")) {
                items.add(trimmed.substring(2).trim());
            } else if (inList) {
                break;
            }
        }
        assertFalse(items.isEmpty(), "no " + key + " list in docs/traefik.md's Middleware");
        return items;
    }

    private static void waitForExpiry(String accessToken) throws Exception {
        Instant exp = SignedJWT.parse(accessToken).getJWTClaimsSet().getExpirationTime().toInstant();
        // forwardauth reckons expiry from expires_in at the token response, a moment after the JWT's iat.
        Duration wait = Duration.between(Instant.now(), exp.plusMillis(1200));
        if (!wait.isNegative()) {
            Thread.sleep(wait.toMillis());
        }
    }
}
