package dev.forwardauth.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;

/**
 * One real browser login, hop by hop, as a proxy in front of forwardauth would carry it: /authorize answers 307
 * to the IdP with a pending-login cookie, the IdP answers 302 to the callback, /oauth2/signin exchanges the code
 * and sets the session cookie. The result is the Cookie header a signed-in browser sends from then on.
 */
final class BrowserLogin {
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<String, String> cookies = new LinkedHashMap<>();

    /** @return the {@code Cookie} header value carrying the session (one or more FORWARDAUTH* cookies) */
    String login(URI forwardauth, MockOAuth2Server idp, String originalUrl, OAuth2TokenCallback user)
            throws IOException, InterruptedException {
        URI original = URI.create(originalUrl);
        HttpResponse<String> toIdp = send(HttpRequest.newBuilder(forwardauth.resolve("/authorize"))
                .header("X-Forwarded-Method", "GET")
                .header("X-Forwarded-Proto", original.getScheme())
                .header("X-Forwarded-Host", original.getRawAuthority())
                .header("X-Forwarded-Uri", original.getRawPath())
                .header("Accept", "text/html"), 307);
        HttpResponse<String> atIdp = send(HttpRequest.newBuilder(URI.create(location(toIdp))), 302);
        // The IdP hands out the enqueued user at the token request, which the callback below makes.
        idp.enqueueCallback(user);
        URI callback = URI.create(location(atIdp));
        HttpResponse<String> signin = send(HttpRequest.newBuilder(
                        forwardauth.resolve(callback.getRawPath() + "?" + callback.getRawQuery()))
                .header("X-Forwarded-Proto", callback.getScheme())
                .header("X-Forwarded-Host", callback.getRawAuthority()), 302);
        if (!cookies.containsKey("FORWARDAUTH")) {
            throw new IllegalStateException("the callback set no session cookie: " + signin.headers().allValues("Set-Cookie"));
        }
        return cookies.entrySet().stream().filter(cookie -> cookie.getKey().startsWith("FORWARDAUTH"))
                .map(cookie -> cookie.getKey() + "=" + cookie.getValue()).collect(Collectors.joining("; "));
    }

    private HttpResponse<String> send(HttpRequest.Builder request, int expected) throws IOException, InterruptedException {
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookies.entrySet().stream().map(c -> c.getKey() + "=" + c.getValue())
                    .collect(Collectors.joining("; ")));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(response.request().uri() + " answered " + response.statusCode()
                    + " instead of " + expected + ": " + response.body());
        }
        keep(response.headers().allValues("Set-Cookie"));
        return response;
    }

    private void keep(List<String> setCookies) {
        for (String setCookie : setCookies) {
            String pair = setCookie.split(";", 2)[0];
            int eq = pair.indexOf('=');
            String name = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            if (value.isEmpty() || setCookie.toLowerCase().contains("max-age=0")) {
                cookies.remove(name);
            } else {
                cookies.put(name, value);
            }
        }
    }

    private static String location(HttpResponse<?> response) {
        return response.headers().firstValue("Location").orElseThrow(
                () -> new IllegalStateException(response.request().uri() + " answered without Location"));
    }
}
