package dev.forwardauth.proxies;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A browser reduced to what the login needs: host-only cookies kept per host and sent back, redirects not
 * followed (tests look at each hop), {@code Accept: text/html} unless a test sends its own Accept.
 */
final class Browser {
    private final Map<String, Map<String, String>> cookies = new LinkedHashMap<>();

    LoopbackHttp.Response get(String url, String... headers) throws IOException {
        return send("GET", url, headers);
    }

    LoopbackHttp.Response send(String method, String url, String... headers) throws IOException {
        URI uri = URI.create(url);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        List<String[]> lines = new ArrayList<>();
        boolean accept = false;
        for (int i = 0; i < headers.length; i += 2) {
            lines.add(new String[] {headers[i], headers[i + 1]});
            accept |= headers[i].equalsIgnoreCase("Accept");
        }
        if (!accept) {
            lines.add(new String[] {"Accept", "text/html,application/xhtml+xml"});
        }
        Map<String, String> jar = cookies.getOrDefault(host, Map.of());
        if (!jar.isEmpty()) {
            StringBuilder cookie = new StringBuilder();
            jar.forEach((name, value) -> cookie.append(cookie.length() == 0 ? "" : "; ").append(name).append('=')
                    .append(value));
            lines.add(new String[] {"Cookie", cookie.toString()});
        }
        LoopbackHttp.Response response = LoopbackHttp.send(method, uri, lines);
        keep(host, response.headers("Set-Cookie"));
        return response;
    }

    /** The cookies this browser holds for a host (name to value). */
    Map<String, String> cookies(String host) {
        return Map.copyOf(cookies.getOrDefault(host.toLowerCase(Locale.ROOT), Map.of()));
    }

    private void keep(String host, List<String> setCookies) {
        for (String setCookie : setCookies) {
            String pair = setCookie.split(";", 2)[0];
            int eq = pair.indexOf('=');
            String name = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            Map<String, String> jar = cookies.computeIfAbsent(host, h -> new LinkedHashMap<>());
            if (value.isEmpty() || setCookie.toLowerCase(Locale.ROOT).matches(".*;\\s*max-age=0(;.*|$)")) {
                jar.remove(name);
            } else {
                jar.put(name, value);
            }
        }
    }
}
