package dev.forwardauth.proxies;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The protected app: answers every request with JSON of what it received (method, URI, each header with
 * all its values, names lower-cased), so a test sees exactly what the proxy let through. On 127.0.0.1,
 * port 0.
 */
final class EchoUpstream implements AutoCloseable {
    private final HttpServer server;

    EchoUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", EchoUpstream::echo);
        server.start();
    }

    /** host:port, as a proxy's upstream address. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private static void echo(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        Map<String, Object> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                new ArrayList<>(values)));
        String json = JSONObjectUtils.toJSONString(Map.of(
                "upstream", "echo",
                "method", exchange.getRequestMethod(),
                "uri", exchange.getRequestURI().toString(),
                "headers", headers));
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** What the app received, read back from its answer; fails the test when the answer is not the app's. */
    record Seen(String method, String uri, Map<String, List<String>> headers) {
        @SuppressWarnings("unchecked")
        static Seen from(LoopbackHttp.Response response) {
            if (response.status() != 200) {
                throw new AssertionError("the app did not answer; the proxy said:\n" + response);
            }
            try {
                Map<String, Object> json = JSONObjectUtils.parse(response.body());
                if (!"echo".equals(json.get("upstream"))) {
                    throw new AssertionError("not the app's answer:\n" + response);
                }
                Map<String, List<String>> headers = new TreeMap<>();
                ((Map<String, Object>) json.get("headers")).forEach((name, values) ->
                        headers.put(name, ((List<Object>) values).stream().map(String::valueOf).toList()));
                return new Seen((String) json.get("method"), (String) json.get("uri"), headers);
            } catch (ParseException e) {
                throw new AssertionError("not the app's answer:\n" + response, e);
            }
        }

        /** Every value the app received under this name (case-insensitive); empty when none. */
        List<String> all(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }

        Optional<String> header(String name) {
            List<String> values = all(name);
            if (values.size() > 1) {
                throw new AssertionError(name + " reached the app more than once: " + values);
            }
            return values.stream().findFirst();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
