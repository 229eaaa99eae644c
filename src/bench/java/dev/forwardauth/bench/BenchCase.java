package dev.forwardauth.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of the table: which server, which path, which headers, and the status every answer must have
 * (checked once before wrk runs, and against wrk's count of non-2xx/3xx answers after). With a rotation, one
 * header takes each of many values in turn (many users), instead of the same value on every request.
 */
record BenchCase(String key, String label, boolean bare, String path, Map<String, String> headers,
                 int expectedStatus, Rotation rotation) {

    static final String HOST = "app.example.com";

    BenchCase(String key, String label, boolean bare, String path, Map<String, String> headers, int expectedStatus) {
        this(key, label, bare, path, headers, expectedStatus, null);
    }

    /** {@code header} is sent with {@code values} in turn; {@code headers} holds the first. */
    record Rotation(String header, List<String> values) {
    }

    /** What Traefik's ForwardAuth middleware sends for a browser's GET of {@code uri} on {@link #HOST}. */
    static Map<String, String> traefik(String uri, String accept) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Forwarded-Method", "GET");
        headers.put("X-Forwarded-Proto", "https");
        headers.put("X-Forwarded-Host", HOST);
        headers.put("X-Forwarded-Uri", uri);
        headers.put("X-Forwarded-For", "203.0.113.7");
        headers.put("X-Real-Ip", "203.0.113.7");
        headers.put("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");
        headers.put("Accept", accept);
        headers.put("Accept-Encoding", "gzip, deflate, br");
        return headers;
    }

    static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return copy;
    }

    /** Whether wrk's count of answers outside 2xx/3xx is what this case expects. */
    boolean statusCountsMatch(Wrk.Result result) {
        return expectedStatus < 400 ? result.non2xx() == 0 : result.non2xx() == result.requests();
    }
}
