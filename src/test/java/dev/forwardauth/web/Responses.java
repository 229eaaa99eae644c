package dev.forwardauth.web;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Reading what a user agent sees in a response: Set-Cookie attributes, query parameters, JSON bodies. */
final class Responses {
    static final String SESSION_COOKIE = "FORWARDAUTH";
    static final String PENDING_LOGIN_PREFIX = "FORWARDAUTH_LOGIN_";

    private Responses() {
    }

    /** The Set-Cookie header for exactly this cookie name, if the response has one. */
    static Optional<String> setCookie(HttpResponse<?> response, String name) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(header -> header.startsWith(name + "="))
                .findFirst();
    }

    static List<String> setCookieNames(HttpResponse<?> response) {
        return response.headers().allValues("Set-Cookie").stream()
                .map(header -> header.substring(0, header.indexOf('=')))
                .collect(Collectors.toList());
    }

    /** True when the response sets a session cookie with a value (not a deletion). */
    static boolean setsSession(HttpResponse<?> response) {
        return setCookie(response, SESSION_COOKIE).filter(header -> !isDeletion(header)).isPresent();
    }

    /** True when the response sets a pending-login cookie with a value (not a deletion). */
    static boolean setsPendingLogin(HttpResponse<?> response) {
        return response.headers().allValues("Set-Cookie").stream()
                .anyMatch(header -> header.startsWith(PENDING_LOGIN_PREFIX) && !isDeletion(header));
    }

    static boolean isDeletion(String setCookie) {
        Map<String, String> attributes = cookieAttributes(setCookie);
        String value = setCookie.substring(setCookie.indexOf('=') + 1).split(";", 2)[0].trim();
        return value.isEmpty() || "0".equals(attributes.get("max-age"));
    }

    /** Attributes of one Set-Cookie header, names lower-cased; flags (HttpOnly, Secure) map to "". */
    static Map<String, String> cookieAttributes(String setCookie) {
        Map<String, String> attributes = new LinkedHashMap<>();
        String[] parts = setCookie.split(";");
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].trim();
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String name = (eq < 0 ? part : part.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            attributes.put(name, eq < 0 ? "" : part.substring(eq + 1).trim());
        }
        return attributes;
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
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            parameters.putIfAbsent(name, value);
        }
        return parameters;
    }

    static String location(HttpResponse<?> response) {
        return response.headers().firstValue("Location").orElseThrow(
                () -> new AssertionError("no Location header; status " + response.statusCode()));
    }

    static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElseThrow(
                () -> new AssertionError("no " + name + " header; status " + response.statusCode()));
    }

    static boolean hasHeader(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).isPresent();
    }

    /** The body as a JSON object; fails the test when it is not one. */
    static Map<String, Object> json(HttpResponse<String> response) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("application/json")) {
            throw new AssertionError("expected a JSON body, got Content-Type " + type + ": " + response.body());
        }
        try {
            return JSONObjectUtils.parse(response.body());
        } catch (ParseException e) {
            throw new AssertionError("body is not a JSON object: " + response.body(), e);
        }
    }

    static boolean isHtml(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Type").orElse("").startsWith("text/html");
    }
}
