package dev.forwardauth.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends requests the way Traefik's ForwardAuth middleware does (X-Forwarded-Method/-Proto/-Host/-Uri plus
 * the user's own headers and cookies), and plays the browser that carries cookies between forwardauth and
 * the IdP. Redirects are not followed: tests look at each hop.
 */
final class TraefikClient {
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    final Map<String, String> cookies = new LinkedHashMap<>();

    HttpResponse<String> authorize(URI forwardauth, String method, String url, String... headers) throws Exception {
        URI original = URI.create(url);
        HttpRequest.Builder request = HttpRequest.newBuilder(forwardauth)
                .header("X-Forwarded-Method", method)
                .header("X-Forwarded-Proto", original.getScheme())
                .header("X-Forwarded-Host", original.getRawAuthority())
                .header("X-Forwarded-Uri", original.getRawPath()
                        + (original.getRawQuery() == null ? "" : "?" + original.getRawQuery()));
        return send(request, headers);
    }

    HttpResponse<String> get(URI uri, String... headers) throws Exception {
        return send(HttpRequest.newBuilder(uri), headers);
    }

    /**
     * A request to /authorize with exactly the given headers (name, value pairs) and no X-Forwarded-* of its
     * own: for tests that leave one out or send a malformed one.
     */
    HttpResponse<String> authorizeWith(URI forwardauth, String... headers) throws Exception {
        return send(HttpRequest.newBuilder(forwardauth), headers);
    }

    /**
     * The browser visiting {@code url} on one of forwardauth's own routes (/signin, /start, /signout,
     * /userinfo), as the proxy forwards it: same path and query, X-Forwarded-Proto and -Host from the URL.
     */
    HttpResponse<String> route(URI forwardauthBase, String url, String... headers) throws Exception {
        URI external = URI.create(url);
        URI local = forwardauthBase.resolve(external.getRawPath()
                + (external.getRawQuery() == null ? "" : "?" + external.getRawQuery()));
        HttpRequest.Builder request = HttpRequest.newBuilder(local)
                .header("X-Forwarded-Proto", external.getScheme())
                .header("X-Forwarded-Host", external.getRawAuthority());
        return send(request, headers);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String... headers) throws IOException, InterruptedException {
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        if (!cookies.isEmpty()) {
            StringBuilder cookie = new StringBuilder();
            cookies.forEach((name, value) -> cookie.append(cookie.length() == 0 ? "" : "; ").append(name)
                    .append('=').append(value));
            request.header("Cookie", cookie.toString());
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        keepCookies(response.headers().allValues("Set-Cookie"));
        return response;
    }

    private void keepCookies(List<String> setCookies) {
        for (String setCookie : setCookies) {
            String pair = setCookie.split(";", 2)[0];
            int eq = pair.indexOf('=');
            String name = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            boolean deleted = value.isEmpty() || setCookie.toLowerCase().contains("max-age=0");
            if (deleted) {
                cookies.remove(name);
            } else {
                cookies.put(name, value);
            }
        }
    }
}
