package dev.forwardauth.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.JarFile;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The unchanged WAR in a real servlet container, driven end to end like Traefik and a browser would, with
 * mock-oauth2-server (in this JVM) as the IdP. One container and one IdP per subclass; every test here
 * runs against each container.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ContainerLoginTests {
    static final String ISSUER_ID = "default";
    static final String AUDIENCE = "https://api.example.com";
    static final String APP = "https://app.example.com";
    static final String RETURN_TO = "https://www.example.com/goodbye";
    static final String SESSION_COOKIE = "FORWARDAUTH";

    MockOAuth2Server idp;
    ServletContainer container;

    /** The container under test, not yet started. */
    abstract ServletContainer container();

    @BeforeAll
    void start() throws Exception {
        idp = new MockOAuth2Server();
        idp.start();
        container = container();
        container.start("""
                {
                  "domain": "%s",
                  "session-secret": "0123456789abcdef0123456789abcdef",
                  "default": {
                    "client-id": "forwardauth",
                    "client-secret": "secret",
                    "audience": "%s",
                    "redirect-uri": "%s/oauth2/signin",
                    "return-to": "%s",
                    "rules": [{"path": "/admin/**", "required-scopes": ["admin:site"]}]
                  }
                }
                """.formatted(idp.issuerUrl(ISSUER_ID), AUDIENCE, APP, RETURN_TO));
    }

    @AfterAll
    void stop() {
        try {
            if (container != null) {
                container.close();
            }
        } finally {
            if (idp != null) {
                idp.shutdown();
            }
        }
    }

    @Test
    void browserSignsInAtTheIdpPassesWithIdentityHeadersAndSignsOut() throws Exception {
        ProxiedBrowser browser = new ProxiedBrowser(container);
        String original = APP + "/Reports/Q1?Sort=Desc";

        HttpResponse<String> toIdp = browser.authorize("GET", original, "Accept", "text/html");
        assertEquals(307, toIdp.statusCode(), toIdp.body());
        String idpUrl = location(toIdp);
        assertTrue(idpUrl.startsWith(idp.authorizationEndpointUrl(ISSUER_ID) + "?"), idpUrl);
        Map<String, String> authorizeQuery = query(idpUrl);
        assertEquals("forwardauth", authorizeQuery.get("client_id"));
        assertEquals(APP + "/oauth2/signin", authorizeQuery.get("redirect_uri"));
        assertEquals(AUDIENCE, authorizeQuery.get("audience"));
        assertEquals("S256", authorizeQuery.get("code_challenge_method"));

        HttpResponse<String> atIdp = browser.visit(idpUrl);
        assertEquals(302, atIdp.statusCode(), atIdp.body());
        String callback = location(atIdp);
        assertTrue(callback.startsWith(APP + "/oauth2/signin?"), callback);
        idp.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, "alice", "JWT", List.of(AUDIENCE),
                Map.of("name", "Alice", "email", "alice@example.com", "scope", "openid profile"), 3600));

        HttpResponse<String> signin = browser.route(callback, "Accept", "text/html");
        assertEquals(302, signin.statusCode(), signin.body());
        assertEquals(original, location(signin));
        String session = setCookie(signin, SESSION_COOKIE);
        Map<String, String> attributes = cookieAttributes(session);
        assertTrue(attributes.containsKey("httponly"), session);
        assertTrue(attributes.containsKey("secure"), session);
        assertEquals("lax", attributes.get("samesite").toLowerCase(Locale.ROOT), session);
        assertEquals("/", attributes.get("path"), session);
        System.out.printf("%s: session cookie of %d bytes%n", container.name(),
                browser.cookie(SESSION_COOKIE).orElseThrow().length());

        HttpResponse<String> pass = browser.authorize("GET", APP + "/Reports/Q1", "Accept", "text/html");
        assertEquals(200, pass.statusCode(), pass.body());
        assertEquals("alice", header(pass, "X-Forwarded-User"));
        assertEquals("alice", header(pass, "X-Forwardauth-sub"));
        assertEquals("Alice", header(pass, "X-Forwardauth-name"));
        assertEquals("alice@example.com", header(pass, "X-Forwardauth-email"));
        String bearer = header(pass, "Authorization");
        assertTrue(bearer.startsWith("Bearer "), bearer);
        JWTClaimsSet accessToken = SignedJWT.parse(bearer.substring("Bearer ".length())).getJWTClaimsSet();
        assertEquals("alice", accessToken.getSubject());
        assertTrue(accessToken.getAudience().contains(AUDIENCE), accessToken.getAudience().toString());

        // The container must not swap forwardauth's own 403 body for an error page of its own.
        HttpResponse<String> admin = browser.authorize("GET", APP + "/admin/users", "Accept", "application/json");
        assertEquals(403, admin.statusCode(), admin.body());
        assertTrue(admin.body().contains("admin:site"), admin.body());

        HttpResponse<String> signout = browser.route(APP + "/oauth2/signout", "Accept", "text/html");
        assertEquals(302, signout.statusCode(), signout.body());
        String deletion = setCookie(signout, SESSION_COOKIE);
        assertEquals("0", cookieAttributes(deletion).get("max-age"), deletion);
        String logout = location(signout);
        assertTrue(logout.startsWith(idp.endSessionEndpointUrl(ISSUER_ID) + "?"), logout);
        assertEquals(RETURN_TO, query(logout).get("post_logout_redirect_uri"));
        assertFalse(browser.hasCookie(SESSION_COOKIE));
        assertEquals(307, browser.authorize("GET", APP + "/Reports/Q1", "Accept", "text/html").statusCode());
    }

    @Test
    void apiClientWithoutSessionGetsForwardauthsOwn401() throws Exception {
        HttpResponse<String> answer = new ProxiedBrowser(container)
                .authorize("GET", APP + "/api/items", "Accept", "application/json");

        assertEquals(401, answer.statusCode(), answer.body());
        assertTrue(header(answer, "WWW-Authenticate").startsWith("Bearer"));
        assertTrue(header(answer, "Content-Type").startsWith("application/json"), answer.body());
        assertTrue(location(answer).startsWith(APP + "/oauth2/start?rd="), location(answer));
    }

    @Test
    void missingForwardedHeaderIs400NamingIt() throws Exception {
        HttpResponse<String> answer = new ProxiedBrowser(container).call("/authorize",
                "X-Forwarded-Method", "GET", "X-Forwarded-Proto", "https", "X-Forwarded-Uri", "/");

        assertEquals(400, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("X-Forwarded-Host"), answer.body());
    }

    /** The launcher's classes sit at the WAR root and WEB-INF holds the config of the whole app. */
    @ParameterizedTest
    @ValueSource(strings = {"/WEB-INF/web.xml", "/META-INF/MANIFEST.MF", "/dev/forwardauth/boot/Main.class",
        "/dev/forwardauth/boot/Main.class;x=1", "/health/../META-INF/MANIFEST.MF", "/./WEB-INF/web.xml",
        "/%2e/WEB-INF/web.xml", "/health/..;/dev/forwardauth/boot/Main.class", "//dev/forwardauth/boot/Main.class",
        "/dev/forwardauth/boot/Main.class/", "/web-inf/web.xml", "/dev/forwardauth/boot/Main.class%00.txt"})
    void warInternalsAreNeverServed(String rawPath) throws Exception {
        HttpResponse<String> answer = new ProxiedBrowser(container).call(rawPath);

        assertNotServed(rawPath, answer);
    }

    /** Every file in the WAR, asked for by its path: none comes back (forwardauth serves no files at all). */
    @Test
    void noFileOfTheWarIsServed() throws Exception {
        List<String> served = new ArrayList<>();
        List<String> entries;
        try (JarFile war = new JarFile(ServletContainer.WAR.toFile())) {
            entries = Collections.list(war.entries()).stream().filter(entry -> !entry.isDirectory())
                    .map(entry -> "/" + entry.getName()).toList();
        }
        ProxiedBrowser browser = new ProxiedBrowser(container);
        for (String path : entries) {
            HttpResponse<String> answer = browser.call(path);
            if (answer.statusCode() / 100 == 2) {
                served.add(path + " -> " + answer.statusCode());
            }
        }
        assertTrue(entries.size() > 50, "the WAR should have many files: " + entries.size());
        assertEquals(List.of(), served);
    }

    /**
     * What the container itself refuses inside the webapp (the security-constraint, its WEB-INF and META-INF
     * protection) goes through web.xml's error-page to forwardauth's own page: our status, body and security
     * headers in every container, never its HTML error page.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/dev/forwardauth/boot/Main.class", "/META-INF/MANIFEST.MF", "/WEB-INF/web.xml", "/nothing"})
    void theContainersOwnRefusalsAreForwardauthsPages(String path) throws Exception {
        HttpResponse<String> answer = new ProxiedBrowser(container).call(path, "Accept", "application/json");

        assertTrue(answer.statusCode() == 403 || answer.statusCode() == 404, path + ": " + answer.statusCode());
        assertOwnPage(answer);
        assertTrue(answer.body().startsWith("{\"error\":\"" + (answer.statusCode() == 403 ? "forbidden" : "not_found")),
                answer.body());
    }

    @Test
    void aMethodARouteDoesNotAnswerIsForwardauths405() throws Exception {
        HttpResponse<String> answer = new ProxiedBrowser(container).send("POST", "/health");

        assertEquals(405, answer.statusCode(), answer.body());
        assertEquals("GET, HEAD", header(answer, "Allow"));
        assertOwnPage(answer);
    }

    private static void assertOwnPage(HttpResponse<String> answer) {
        assertEquals("no-store", header(answer, "Cache-Control"));
        assertEquals("nosniff", header(answer, "X-Content-Type-Options"));
        assertEquals("DENY", header(answer, "X-Frame-Options"));
        assertEquals("no-referrer", header(answer, "Referrer-Policy"));
        assertTrue(header(answer, "Content-Security-Policy").startsWith("default-src 'none'"));
    }

    @Test
    void healthIsUpAndTheWebappLogsThroughTheContainer() throws Exception {
        HttpResponse<String> health = new ProxiedBrowser(container).call("/health");
        assertEquals(200, health.statusCode());
        assertTrue(health.body().contains("\"UP\""), health.body());

        String log = container.log();
        assertTrue(log.contains(container.versionBanner()), "not the container under test:\n" + log);
        // slf4j-jdk14 -> java.util.logging, which each container sends to its console.
        assertTrue(log.contains("forwardauth ready"), log);
    }

    private static void assertNotServed(String path, HttpResponse<String> answer) {
        assertFalse(answer.statusCode() / 100 == 2, path + " answered " + answer.statusCode() + ": " + answer.body());
        assertFalse(answer.body().contains("Main-Class") || answer.body().contains("ForwardAuthInitializer"),
                path + ": " + answer.body());
    }

    private static String location(HttpResponse<?> response) {
        return header(response, "Location");
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElseThrow(
                () -> new AssertionError("no " + name + " header; status " + response.statusCode()));
    }

    private static String setCookie(HttpResponse<?> response, String name) {
        return response.headers().allValues("Set-Cookie").stream().filter(header -> header.startsWith(name + "="))
                .findFirst().orElseThrow(() -> new AssertionError("no Set-Cookie for " + name + ": "
                        + response.headers().allValues("Set-Cookie")));
    }

    /** Attributes of a Set-Cookie header, names lower-cased; flags (HttpOnly, Secure) map to "". */
    private static Map<String, String> cookieAttributes(String setCookie) {
        Map<String, String> attributes = new LinkedHashMap<>();
        String[] parts = setCookie.split(";");
        for (int i = 1; i < parts.length; i++) {
            String[] pair = parts[i].trim().split("=", 2);
            attributes.put(pair[0].toLowerCase(Locale.ROOT), pair.length > 1 ? pair[1] : "");
        }
        return attributes;
    }

    private static Map<String, String> query(String url) {
        Map<String, String> parameters = new LinkedHashMap<>();
        String raw = URI.create(url).getRawQuery();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            String[] nameValue = pair.split("=", 2);
            parameters.putIfAbsent(URLDecoder.decode(nameValue[0], StandardCharsets.UTF_8),
                    nameValue.length > 1 ? URLDecoder.decode(nameValue[1], StandardCharsets.UTF_8) : "");
        }
        return parameters;
    }
}
