package dev.forwardauth.web;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands beside mock-oauth2-server where a test needs what it cannot do: a JWKS endpoint whose keys the
 * test changes (key rotation), and a token endpoint that forwards to the real one but can leave out the
 * refresh token or be down. forwardauth is pointed here with the {@code jwks-uri} and {@code token-endpoint}
 * overrides; discovery, login and signing stay with the real server. On 127.0.0.1, port 0.
 */
final class IdpSidecar implements AutoCloseable {
    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI upstreamJwks;
    private final URI upstreamToken;
    private final List<JWK> extraKeys = new CopyOnWriteArrayList<>();
    private final AtomicInteger jwksRequests = new AtomicInteger();
    private final List<String> grantTypes = new CopyOnWriteArrayList<>();
    private volatile boolean publishUpstreamKeys = true;
    private volatile boolean stripRefreshTokens;
    private volatile boolean tokenEndpointDown;
    private volatile boolean rejectRefreshTokens;

    IdpSidecar(URI upstreamJwks, URI upstreamToken) throws IOException {
        this.upstreamJwks = upstreamJwks;
        this.upstreamToken = upstreamToken;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks", this::jwks);
        server.createContext("/token", this::token);
        server.start();
    }

    URI jwksUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks");
    }

    URI tokenUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
    }

    /** From now on the JWKS also lists this key (public part only), as an IdP does when it rotates. */
    void publish(JWK key) {
        extraKeys.add(key.toPublicJWK());
    }

    /** Whether the real server's own keys are listed too (they sign the tokens of a login). */
    void publishUpstreamKeys(boolean publish) {
        publishUpstreamKeys = publish;
    }

    int jwksRequests() {
        return jwksRequests.get();
    }

    /** Token responses lose their refresh_token, as Auth0's do when offline_access was not granted. */
    void stripRefreshTokens(boolean strip) {
        stripRefreshTokens = strip;
    }

    /** The token endpoint drops every connection without an answer, like an IdP that is down. */
    void tokenEndpointDown(boolean down) {
        tokenEndpointDown = down;
    }

    /** Refresh grants are answered 400 invalid_grant, as for a refresh token the IdP revoked. */
    void rejectRefreshTokens(boolean reject) {
        rejectRefreshTokens = reject;
    }

    /** Back to a plain pass-through for the next test. */
    void reset() {
        publishUpstreamKeys = true;
        stripRefreshTokens = false;
        tokenEndpointDown = false;
        rejectRefreshTokens = false;
        extraKeys.clear();
    }

    /** grant_type of every token request so far, in order. */
    List<String> grantTypes() {
        return new ArrayList<>(grantTypes);
    }

    private void jwks(HttpExchange exchange) throws IOException {
        jwksRequests.incrementAndGet();
        List<JWK> keys = new ArrayList<>();
        try {
            if (publishUpstreamKeys) {
                String upstream = http.send(HttpRequest.newBuilder(upstreamJwks).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                keys.addAll(JWKSet.parse(upstream).getKeys());
            }
            keys.addAll(extraKeys);
            respond(exchange, 200, new JWKSet(keys).toString(true));
        } catch (Exception e) {
            respond(exchange, 502, "{}");
        }
    }

    private void token(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String grantType = parameter(body, "grant_type");
        grantTypes.add(grantType);
        if (tokenEndpointDown) {
            exchange.close(); // no status line at all: the client sees the connection end
            return;
        }
        if (rejectRefreshTokens && "refresh_token".equals(grantType)) {
            respond(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"refresh token revoked\"}");
            return;
        }
        HttpRequest.Builder forward = HttpRequest.newBuilder(upstreamToken)
                .header("Content-Type", exchange.getRequestHeaders().getFirst("Content-Type"))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null) {
            forward.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> upstream = http.send(forward.build(), HttpResponse.BodyHandlers.ofString());
            String answer = upstream.body();
            if (stripRefreshTokens && upstream.statusCode() == 200) {
                Map<String, Object> json = JSONObjectUtils.parse(answer);
                json.remove("refresh_token");
                answer = JSONObjectUtils.toJSONString(json);
            }
            respond(exchange, upstream.statusCode(), answer);
        } catch (Exception e) {
            respond(exchange, 502, "{}");
        }
    }

    private static String parameter(String form, String name) {
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
