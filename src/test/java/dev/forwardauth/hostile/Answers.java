package dev.forwardauth.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a hostile request or a hostile IdP must never get out of forwardauth, as assertions on what a user
 * agent sees: a 2xx where a login is needed, a 5xx, a session cookie, a redirect off the configured hosts,
 * a stack trace or a token in the body; and the security headers every answer must carry.
 */
final class Answers {
    static final String SESSION_COOKIE = "FORWARDAUTH";
    static final String PENDING_LOGIN_PREFIX = "FORWARDAUTH_LOGIN_";

    // A stack frame ("at dev.forwardauth.web.X.y(X.java:12)"), a "Caused by:", or a fully qualified
    // exception or error class name: none of them belongs in an answer.
    private static final Pattern STACK_TRACE = Pattern.compile(
            "\\bat [a-zA-Z_$][\\w$]*(\\.[\\w$]+)+\\((?:[\\w$]+\\.java:\\d+|Native Method|Unknown Source)\\)"
                    + "|Caused by:"
                    + "|\\b[a-z][a-z0-9_]*(\\.[a-z0-9_]+)+\\.[A-Z][\\w$]*(Exception|Error)\\b");

    private Answers() {
    }

    /**
     * The request must not pass: 4xx (never 2xx or 3xx to the site, never 5xx), no session cookie, no stack
     * trace, none of {@code secrets} echoed.
     */
    static void assertRefused(HttpResponse<String> response, String... secrets) {
        int status = response.statusCode();
        assertTrue(status >= 400 && status < 500, "expected a 4xx, got " + describe(response));
        assertNoSession(response);
        assertNoStackTrace(response);
        for (String secret : secrets) {
            assertFalse(response.body().contains(secret), "the body echoes a token: " + describe(response));
        }
    }

    /** Not a pass (no 2xx) and not a server error: a 4xx, or a redirect to sign in (307/302). */
    static void assertNoPassNoError(HttpResponse<String> response) {
        int status = response.statusCode();
        assertFalse(status >= 200 && status < 300, "passed: " + describe(response));
        assertFalse(status >= 500, "server error: " + describe(response));
        assertNoSession(response);
        assertNoStackTrace(response);
    }

    static void assertNoSession(HttpResponse<?> response) {
        assertFalse(setsSession(response), "sets a session cookie: " + response.headers().allValues("Set-Cookie"));
    }

    static void assertNoStackTrace(HttpResponse<String> response) {
        assertFalse(STACK_TRACE.matcher(response.body()).find(), "stack trace in the body: " + describe(response));
    }

    /** Any Location must be absolute and on one of {@code hosts} (or the IdP's own authorize URL). */
    static void assertRedirectStaysOn(HttpResponse<?> response, Set<String> hosts) {
        Optional<String> location = response.headers().firstValue("Location");
        if (location.isEmpty()) {
            return;
        }
        URI uri = URI.create(location.get());
        String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
        if (host != null && host.endsWith(".")) {
            host = host.substring(0, host.length() - 1); // the same host, fully qualified
        }
        assertTrue(uri.isAbsolute() && uri.getRawUserInfo() == null && hosts.contains(host),
                "redirect off the configured hosts " + hosts + ": " + location.get());
    }

    /**
     * Every answer forwardauth writes: no cache may keep it. An answer with a body (page or JSON) also may
     * not be framed, sniffed into another type, or run anything: X-Frame-Options, nosniff and a CSP that
     * allows nothing but its own pinned style.
     */
    static void assertSecurityHeaders(HttpResponse<String> response) {
        assertEquals("no-store", header(response, "Cache-Control"), describe(response));
        if (response.body().isEmpty()) {
            return;
        }
        assertEquals("DENY", header(response, "X-Frame-Options"), describe(response));
        assertEquals("nosniff", header(response, "X-Content-Type-Options"), describe(response));
        String csp = header(response, "Content-Security-Policy");
        List<String> directives = List.of(csp.split("\\s*;\\s*"));
        assertTrue(directives.contains("default-src 'none'"), csp);
        assertTrue(directives.contains("frame-ancestors 'none'"), csp);
        assertTrue(directives.contains("base-uri 'none'"), csp);
        assertTrue(directives.contains("form-action 'none'"), csp);
        for (String loose : List.of("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:")) {
            assertFalse(List.of(csp.split("[\\s;]+")).contains(loose), "CSP allows " + loose + ": " + csp);
        }
        assertFalse(csp.contains("script-src"), "no page of ours runs a script: " + csp);
    }

    static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElseGet(() -> fail("no " + name + " header: " + response
                + " " + response.headers().map()));
    }

    static boolean setsSession(HttpResponse<?> response) {
        return response.headers().allValues("Set-Cookie").stream()
                .anyMatch(header -> header.startsWith(SESSION_COOKIE + "=") && !isDeletion(header));
    }

    static boolean setsPendingLogin(HttpResponse<?> response) {
        return response.headers().allValues("Set-Cookie").stream()
                .anyMatch(header -> header.startsWith(PENDING_LOGIN_PREFIX) && !isDeletion(header));
    }

    /** A Set-Cookie that tells the browser to drop the cookie now (how forwardauth deletes one). */
    static boolean isDeletion(String setCookie) {
        String value = setCookie.substring(setCookie.indexOf('=') + 1).split(";", 2)[0].trim();
        return value.isEmpty() || setCookie.toLowerCase(Locale.ROOT).replace(" ", "").contains(";max-age=0");
    }

    static String location(HttpResponse<?> response) {
        return response.headers().firstValue("Location").orElseGet(() -> fail("no Location: " + response));
    }

    /** Query parameters of a URL, decoded; the first value of each name. */
    static Map<String, String> query(String url) {
        Map<String, String> parameters = new LinkedHashMap<>();
        String raw = URI.create(url).getRawQuery();
        if (raw == null) {
            return parameters;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            parameters.putIfAbsent(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return parameters;
    }

    /** Waits for a moment on the clock (a token's or session's sealed expiry), not for work to finish. */
    static void waitUntil(Instant moment) throws InterruptedException {
        Duration left = Duration.between(Instant.now(), moment);
        if (!left.isNegative()) {
            Thread.sleep(left.toMillis());
        }
    }

    static String describe(HttpResponse<String> response) {
        String body = response.body();
        return response.statusCode() + " " + response.headers().map() + " "
                + (body.length() > 600 ? body.substring(0, 600) + "..." : body);
    }
}
