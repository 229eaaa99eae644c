package dev.forwardauth.hostile;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A browser behind Traefik, talking to forwardauth at {@code base}: its requests for a protected site arrive
 * as Traefik's ForwardAuth middleware sends them ({@code /authorize} with X-Forwarded-Method/-Proto/-Host/-Uri),
 * its requests for forwardauth's own routes as the proxy forwards them, and it visits the IdP directly. It
 * keeps cookies by name and follows no redirect: tests look at every hop.
 */
final class Browser {
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    final Map<String, String> cookies = new LinkedHashMap<>();
    private final URI base;

    Browser(URI base) {
        this.base = base;
    }

    /** Traefik asking whether this browser may have {@code method url}; the user's own headers added. */
    HttpResponse<String> authorize(String method, String url, String... headers) throws IOException, InterruptedException {
        URI original = URI.create(url);
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/authorize"))
                .header("X-Forwarded-Method", method)
                .header("X-Forwarded-Proto", original.getScheme())
                .header("X-Forwarded-Host", original.getRawAuthority())
                .header("X-Forwarded-Uri", pathAndQuery(original));
        return send(request, headers);
    }

    /** The browser opening {@code url}, one of forwardauth's own routes on the site, through the proxy. */
    HttpResponse<String> route(String url, String... headers) throws IOException, InterruptedException {
        URI external = URI.create(url);
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(pathAndQuery(external)))
                .header("X-Forwarded-Proto", external.getScheme())
                .header("X-Forwarded-Host", external.getRawAuthority());
        return send(request, headers);
    }

    /** A request for {@code rawPathAndQuery} on forwardauth with exactly these headers (and the cookies). */
    HttpResponse<String> call(String rawPathAndQuery, String... headers) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(rawPathAndQuery)), headers);
    }

    /** The browser opening {@code url} directly (the IdP). */
    HttpResponse<String> visit(String url) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)));
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
        HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        response.headers().allValues("Set-Cookie").forEach(this::keep);
        return response;
    }

    private void keep(String setCookie) {
        String pair = setCookie.split(";", 2)[0];
        int eq = pair.indexOf('=');
        String name = pair.substring(0, eq).trim();
        String value = pair.substring(eq + 1).trim();
        if (value.isEmpty() || Answers.isDeletion(setCookie)) {
            cookies.remove(name);
        } else {
            cookies.put(name, value);
        }
    }

    static String pathAndQuery(URI uri) {
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    @Override
    public String toString() {
        return "browser with cookies " + cookies.keySet();
    }
}
