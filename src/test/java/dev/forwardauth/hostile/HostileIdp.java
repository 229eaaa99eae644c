package dev.forwardauth.hostile;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * An OpenID provider that does what the test tells it to, over real HTTP (JDK HttpServer on 127.0.0.1, a
 * free port): discovery, JWKS, an authorize endpoint that signs "alice" in at once and sends the browser
 * back with a code, a token endpoint, userinfo and end-session. It behaves like an honest provider (checks
 * the client secret, the code's single use, redirect_uri and the PKCE verifier; signs RS256 with a
 * published key) until a test hands it a {@link #nextTokens} recipe, which may change the next token
 * response in any way: forged signatures, {@code alg: none}, wrong claims, no ID token, garbage.
 */
final class HostileIdp implements AutoCloseable {
    static final String CLIENT_ID = "forwardauth";
    // Long enough to be an HS256 key, so an IdP that lists HS256 can really use it.
    static final String CLIENT_SECRET = "hostile-idp-client-secret-0123456789abcdef";
    static final String AUDIENCE = "https://api.example.com";
    static final String SUBJECT = "alice";
    static final Duration LIFETIME = Duration.ofMinutes(5);

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final String issuer;
    private final List<String> idTokenAlgorithms;
    private final RSAKey signingKey;
    private final List<JWK> published = new CopyOnWriteArrayList<>();
    private final Map<String, Authorization> codes = new ConcurrentHashMap<>();
    private final AtomicReference<Consumer<TokenResponse>> nextTokens = new AtomicReference<>();
    private final AtomicReference<Map<String, String>> lastAuthorize = new AtomicReference<>(Map.of());
    private final AtomicReference<List<String>> lastIssued = new AtomicReference<>(List.of());
    private final AtomicInteger jwksRequests = new AtomicInteger();
    private final AtomicInteger userinfoRequests = new AtomicInteger();
    private final AtomicInteger tokenRequests = new AtomicInteger();

    private record Authorization(String redirectUri, String nonce, String codeChallenge) {
    }

    /** What the token endpoint answers to one code exchange; every part may be changed by the test. */
    static final class TokenResponse {
        final ForgedJwt idToken;
        final ForgedJwt accessToken;
        /** Sent instead of {@link #accessToken} when set: an opaque token, say. */
        String rawAccessToken;
        boolean withIdToken = true;
        String refreshToken;
        long expiresIn = LIFETIME.toSeconds();
        /** Sent as the whole body (status 200) when set, instead of a token response. */
        String rawBody;

        TokenResponse(ForgedJwt idToken, ForgedJwt accessToken) {
            this.idToken = idToken;
            this.accessToken = accessToken;
        }
    }

    /** Signs ID tokens RS256 only, as nearly every provider does. */
    HostileIdp() throws Exception {
        this(List.of("RS256"));
    }

    /** @param idTokenAlgorithms what discovery lists in {@code id_token_signing_alg_values_supported} */
    HostileIdp(List<String> idTokenAlgorithms) throws Exception {
        this.idTokenAlgorithms = List.copyOf(idTokenAlgorithms);
        signingKey = rsaKey("k1");
        // Several keys, as providers publish during a rotation: the kid must pick the right one.
        published.add(signingKey.toPublicJWK());
        published.add(rsaKey("k2").toPublicJWK());
        published.add(rsaKey("k3").toPublicJWK());
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/idp";
        server.createContext("/idp/.well-known/openid-configuration", this::discovery);
        server.createContext("/idp/authorize", this::authorize);
        server.createContext("/idp/token", this::token);
        server.createContext("/idp/jwks", this::jwks);
        server.createContext("/idp/userinfo", this::userinfo);
        server.createContext("/idp/logout", exchange -> respond(exchange, 200, "text/plain", "signed out"));
        server.setExecutor(threads);
        server.start();
    }

    static RSAKey rsaKey(String kid) throws Exception {
        return new RSAKeyGenerator(2048).keyID(kid).generate();
    }

    /** The issuer, which is also the {@code domain} forwardauth is configured with. */
    String issuer() {
        return issuer;
    }

    /** The key honest tokens are signed with (published as kid k1). */
    RSAKey signingKey() {
        return signingKey;
    }

    /** From now on the JWKS also lists this key's public part, as a provider does when it rotates. */
    void publish(RSAKey key) {
        published.add(key.toPublicJWK());
    }

    /** The next code exchange only: the test changes the honest token response before it is sent. */
    void nextTokens(Consumer<TokenResponse> recipe) {
        nextTokens.set(recipe);
    }

    /** The query of the last authorize request (client_id, nonce, state, code_challenge, ...). */
    Map<String, String> lastAuthorize() {
        return lastAuthorize.get();
    }

    /** The tokens of the last token response (access, ID, refresh), to check that none is ever echoed. */
    String[] lastIssued() {
        return lastIssued.get().toArray(String[]::new);
    }

    int jwksRequests() {
        return jwksRequests.get();
    }

    int userinfoRequests() {
        return userinfoRequests.get();
    }

    int tokenRequests() {
        return tokenRequests.get();
    }

    /** An ID token as this provider would issue it for {@code nonce}: RS256 by k1, for our client. */
    ForgedJwt idToken(String nonce) {
        long now = System.currentTimeMillis() / 1000;
        return new ForgedJwt(signingKey, "JWT")
                .claim("iss", issuer)
                .claim("sub", SUBJECT)
                .claim("aud", CLIENT_ID)
                .claim("iat", now)
                .claim("exp", now + LIFETIME.toSeconds())
                .claim("nonce", nonce)
                .claim("name", "Alice")
                .claim("email", "alice@example.com");
    }

    /** An access token as this provider would issue it for our API (RFC 9068 shape). */
    ForgedJwt accessToken() {
        long now = System.currentTimeMillis() / 1000;
        return new ForgedJwt(signingKey, "at+jwt")
                .claim("iss", issuer)
                .claim("sub", SUBJECT)
                .claim("aud", List.of(AUDIENCE))
                .claim("client_id", CLIENT_ID)
                .claim("iat", now)
                .claim("exp", now + LIFETIME.toSeconds())
                .claim("jti", UUID.randomUUID().toString())
                .claim("scope", "openid profile email read:items");
    }

    private void discovery(HttpExchange exchange) throws IOException {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("issuer", issuer);
        metadata.put("authorization_endpoint", issuer + "/authorize");
        metadata.put("token_endpoint", issuer + "/token");
        metadata.put("jwks_uri", issuer + "/jwks");
        metadata.put("userinfo_endpoint", issuer + "/userinfo");
        metadata.put("end_session_endpoint", issuer + "/logout");
        metadata.put("response_types_supported", List.of("code"));
        metadata.put("subject_types_supported", List.of("public"));
        metadata.put("id_token_signing_alg_values_supported", idTokenAlgorithms);
        metadata.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        metadata.put("code_challenge_methods_supported", List.of("S256"));
        metadata.put("grant_types_supported", List.of("authorization_code", "refresh_token"));
        respond(exchange, 200, "application/json", JSONObjectUtils.toJSONString(metadata));
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        lastAuthorize.set(query);
        String redirectUri = query.get("redirect_uri");
        if (!CLIENT_ID.equals(query.get("client_id")) || !"code".equals(query.get("response_type"))
                || redirectUri == null) {
            respond(exchange, 400, "text/plain", "bad authorize request");
            return;
        }
        String code = UUID.randomUUID().toString();
        codes.put(code, new Authorization(redirectUri, query.get("nonce"), query.get("code_challenge")));
        String state = query.get("state") == null ? "" : "&state=" + encode(query.get("state"));
        exchange.getResponseHeaders().set("Location", redirectUri + "?code=" + code + state);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void token(HttpExchange exchange) throws IOException {
        tokenRequests.incrementAndGet();
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (!clientAuthenticated(exchange, form)) {
            respond(exchange, 401, "application/json", "{\"error\":\"invalid_client\"}");
            return;
        }
        Authorization authorization = "authorization_code".equals(form.get("grant_type"))
                ? codes.remove(String.valueOf(form.get("code"))) : null;
        if (authorization == null || !authorization.redirectUri().equals(form.get("redirect_uri"))
                || !pkceMatches(authorization.codeChallenge(), form.get("code_verifier"))) {
            respond(exchange, 400, "application/json", "{\"error\":\"invalid_grant\"}");
            return;
        }
        TokenResponse tokens = new TokenResponse(idToken(authorization.nonce()), accessToken());
        Consumer<TokenResponse> recipe = nextTokens.getAndSet(null);
        if (recipe != null) {
            recipe.accept(tokens);
        }
        if (tokens.rawBody != null) {
            respond(exchange, 200, "application/json", tokens.rawBody);
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", tokens.rawAccessToken != null ? tokens.rawAccessToken : tokens.accessToken.serialize());
        body.put("token_type", "Bearer");
        body.put("expires_in", tokens.expiresIn);
        body.put("scope", "openid profile email read:items");
        if (tokens.withIdToken) {
            body.put("id_token", tokens.idToken.serialize());
        }
        if (tokens.refreshToken != null) {
            body.put("refresh_token", tokens.refreshToken);
        }
        List<String> issued = new ArrayList<>();
        for (String name : List.of("access_token", "id_token", "refresh_token")) {
            if (body.get(name) != null) {
                issued.add(body.get(name).toString());
            }
        }
        lastIssued.set(issued);
        respond(exchange, 200, "application/json", JSONObjectUtils.toJSONString(body));
    }

    private static boolean clientAuthenticated(HttpExchange exchange, Map<String, String> form) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.startsWith("Basic ")) {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
            // RFC 6749, 2.3.1: id and secret are form-encoded before they are joined.
            int colon = decoded.indexOf(':');
            return colon > 0 && CLIENT_ID.equals(decode(decoded.substring(0, colon)))
                    && CLIENT_SECRET.equals(decode(decoded.substring(colon + 1)));
        }
        return CLIENT_ID.equals(form.get("client_id")) && CLIENT_SECRET.equals(form.get("client_secret"));
    }

    private static boolean pkceMatches(String challenge, String verifier) {
        if (challenge == null || verifier == null) {
            return false;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).equals(challenge);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void jwks(HttpExchange exchange) throws IOException {
        jwksRequests.incrementAndGet();
        respond(exchange, 200, "application/json", new JWKSet(new ArrayList<>(published)).toString(true));
    }

    /** Names another user than every ID token does: an RP that merged it would be fooled. */
    private void userinfo(HttpExchange exchange) throws IOException {
        userinfoRequests.incrementAndGet();
        respond(exchange, 200, "application/json",
                "{\"sub\":\"mallory\",\"name\":\"Mallory\",\"email\":\"mallory@evil.example\"}");
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            values.putIfAbsent(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return values;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    URI uri(String path) {
        return URI.create(issuer + path);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
