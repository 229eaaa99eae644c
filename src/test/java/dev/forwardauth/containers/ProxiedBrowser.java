package dev.forwardauth.containers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A browser behind Traefik: its requests for a protected site reach forwardauth as Traefik's ForwardAuth
 * middleware sends them ({@code /authorize} with X-Forwarded-Method/-Proto/-Host/-Uri), its requests for
 * forwardauth's own routes ({@code /oauth2/signin}, {@code /oauth2/signout}) as the proxy forwards them, and
 * it visits the IdP directly. It keeps cookies by name and follows no redirect: tests look at every hop.
 */
final class ProxiedBrowser {
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private final ServletContainer forwardauth;

    ProxiedBrowser(ServletContainer forwardauth) {
        this.forwardauth = forwardauth;
    }

    /** Traefik asking forwardauth whether the browser may have {@code method url}. */
    HttpResponse<String> authorize(String method, String url, String... headers)
            throws IOException, InterruptedException {
        URI original = URI.create(url);
        HttpRequest.Builder request = HttpRequest.newBuilder(forwardauth.uri("/authorize"))
                .header("X-Forwarded-Method", method)
                .header("X-Forwarded-Proto", original.getScheme())
                .header("X-Forwarded-Host", original.getRawAuthority())
                .header("X-Forwarded-Uri", pathAndQuery(original));
        return send(request, headers);
    }

    /** The browser opening {@code url}, one of forwardauth's own routes on the site, through the proxy. */
    HttpResponse<String> route(String url, String... headers) throws IOException, InterruptedException {
        URI external = URI.create(url);
        HttpRequest.Builder request = HttpRequest.newBuilder(forwardauth.uri(pathAndQuery(external)))
                .header("X-Forwarded-Proto", external.getScheme())
                .header("X-Forwarded-Host", external.getRawAuthority());
        return send(request, headers);
    }

    /** The browser opening {@code url} directly (the IdP). */
    HttpResponse<String> visit(String url) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)));
    }

    /**
     * A request for {@code rawPath} on forwardauth itself, sent as written (no {@code .} or {@code ..}
     * resolved on the way) with exactly these headers.
     */
    HttpResponse<String> call(String rawPath, String... headers) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(forwardauth.uri(rawPath)), headers);
    }

    /** {@code method rawPath} on forwardauth itself, without a body. */
    HttpResponse<String> send(String method, String rawPath) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(forwardauth.uri(rawPath)).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    boolean hasCookie(String name) {
        return cookies.containsKey(name);
    }

    Optional<String> cookie(String name) {
        return Optional.ofNullable(cookies.get(name));
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String... headers)
            throws IOException, InterruptedException {
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        if (!cookies.isEmpty()) {
            StringBuilder header = new StringBuilder();
            cookies.forEach((name, value) -> header.append(header.length() == 0 ? "" : "; ")
                    .append(name).append('=').append(value));
            request.header("Cookie", header.toString());
        }
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        response.headers().allValues("Set-Cookie").forEach(this::keep);
        return response;
    }

    private void keep(String setCookie) {
        String pair = setCookie.split(";", 2)[0];
        int eq = pair.indexOf('=');
        String name = pair.substring(0, eq).trim();
        String value = pair.substring(eq + 1).trim();
        if (value.isEmpty() || isDeletion(setCookie)) {
            cookies.remove(name);
        } else {
            cookies.put(name, value);
        }
    }

    /** A Set-Cookie that tells the browser to drop the cookie now (how forwardauth deletes one). */
    static boolean isDeletion(String setCookie) {
        return setCookie.toLowerCase(Locale.ROOT).replace(" ", "").contains(";max-age=0");
    }

    private static String pathAndQuery(URI uri) {
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }
}
