package dev.forwardauth.security.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Discovery against a real in-process OIDC server, and the ways an IdP can fail us. */
class IdpMetadataLoaderTest {
    private static final HttpTimeouts SHORT = new HttpTimeouts(Duration.ofMillis(500), Duration.ofMillis(300));

    private final MockOAuth2Server idp = new MockOAuth2Server();
    // Patient: mock-oauth2-server's first answer in a JVM can take seconds on a busy machine, and timeouts are
    // not the subject here (SHORT is, below).
    private final IdpMetadataLoader loader =
            new IdpMetadataLoader(new HttpTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(60)));

    @BeforeEach
    void start() {
        idp.start();
    }

    @AfterEach
    void stop() {
        idp.shutdown();
    }

    @Test
    void discoveryUrlHasExactlyOneSlash() {
        assertEquals(URI.create("https://t.eu.auth0.com/.well-known/openid-configuration"),
                IdpMetadataLoader.discoveryUrl(URI.create("https://t.eu.auth0.com")));
        assertEquals(URI.create("https://t.eu.auth0.com/.well-known/openid-configuration"),
                IdpMetadataLoader.discoveryUrl(URI.create("https://t.eu.auth0.com/")));
        assertEquals(URI.create("https://kc.example.com/realms/x/.well-known/openid-configuration"),
                IdpMetadataLoader.discoveryUrl(URI.create("https://kc.example.com/realms/x//")));
    }

    @Test
    void loadsDiscoveryWithAndWithoutTrailingSlash() throws Exception {
        String issuer = idp.issuerUrl("default").toString();
        for (String domain : new String[] {issuer, issuer + "/"}) {
            IdpMetadata metadata = loader.load(URI.create(domain), IdpOverrides.NONE);

            assertEquals(idp.wellKnownUrl("default").uri(), metadata.discoveryUrl());
            assertEquals(issuer, metadata.issuer());
            assertEquals(idp.jwksUrl("default").uri(), metadata.jwksUri());
            assertEquals(idp.tokenEndpointUrl("default").uri(), metadata.tokenEndpoint());
            assertEquals(idp.authorizationEndpointUrl("default").uri(), metadata.authorizationEndpoint());
            assertEquals(idp.userInfoUrl("default").uri(), metadata.userinfoEndpoint());
            assertEquals(idp.endSessionEndpointUrl("default").uri(), metadata.endSessionEndpoint());
            assertEquals("IdpMetadata[issuer=" + issuer + ", discovery=" + idp.wellKnownUrl("default") + "]",
                    metadata.toString());
        }
    }

    @Test
    void overridesReplaceDiscoveredEndpointsAlsoInProviderMetadata() throws Exception {
        IdpOverrides overrides = new IdpOverrides(URI.create("https://login.example.com/authorize"),
                URI.create("https://login.example.com/oauth/token"), URI.create("https://login.example.com/me"),
                URI.create("https://login.example.com/v2/logout"), URI.create("https://login.example.com/keys"));

        IdpMetadata metadata = loader.load(URI.create(idp.issuerUrl("default").toString()), overrides);

        OIDCProviderMetadata forPac4j = metadata.providerMetadata();
        assertEquals(overrides.authorizeUrl(), forPac4j.getAuthorizationEndpointURI());
        assertEquals(overrides.tokenEndpoint(), forPac4j.getTokenEndpointURI());
        assertEquals(overrides.userinfoEndpoint(), forPac4j.getUserInfoEndpointURI());
        assertEquals(overrides.logoutEndpoint(), forPac4j.getEndSessionEndpointURI());
        assertEquals(overrides.jwksUri(), forPac4j.getJWKSetURI());
        assertEquals(overrides.logoutEndpoint(), metadata.endSessionEndpoint());
        assertEquals(overrides.jwksUri(), metadata.jwksUri());
        // Overrides never change the issuer: tokens must still carry the discovered one.
        assertEquals(idp.issuerUrl("default").toString(), forPac4j.getIssuer().getValue());
    }

    @Test
    void providerMetadataIsACopy() throws Exception {
        IdpMetadata metadata = loader.load(URI.create(idp.issuerUrl("default").toString()), IdpOverrides.NONE);
        metadata.providerMetadata().setJWKSetURI(URI.create("https://evil.example.com/keys"));
        assertEquals(idp.jwksUrl("default").uri(), metadata.providerMetadata().getJWKSetURI());
    }

    @Test
    void connectionRefusedFailsQuicklyNamingTheUrl() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        long started = System.nanoTime();
        IdpUnavailableException e = assertThrows(IdpUnavailableException.class,
                () -> new IdpMetadataLoader(SHORT).load(URI.create("http://127.0.0.1:" + port + "/"),
                        IdpOverrides.NONE));
        assertEquals("identity provider unavailable: cannot fetch http://127.0.0.1:" + port
                + "/.well-known/openid-configuration: ConnectException: Connection refused", e.getMessage());
        assertTrue(elapsedMillis(started) < 2000);
    }

    @Test
    void silentServerFailsWithinTheReadTimeout() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String domain = "http://127.0.0.1:" + silent.getLocalPort();
            long started = System.nanoTime();
            IdpUnavailableException e = assertThrows(IdpUnavailableException.class,
                    () -> new IdpMetadataLoader(SHORT).load(URI.create(domain), IdpOverrides.NONE));
            long millis = elapsedMillis(started);
            assertEquals("identity provider unavailable: cannot fetch " + domain
                    + "/.well-known/openid-configuration: SocketTimeoutException: Read timed out", e.getMessage());
            assertTrue(millis >= 250 && millis < 2000, "took " + millis + " ms");
        }
    }

    @Test
    void httpErrorsAndNonMetadataAreUnavailable() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serve(server, "/empty/.well-known/openid-configuration", "{}");
        serve(server, "/implicit/.well-known/openid-configuration", implicitOnlyMetadata(server));
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            assertUnavailable("identity provider unavailable: cannot fetch " + base
                    + "/missing/.well-known/openid-configuration: HTTP 404 or 410 (not found)", base + "/missing");
            assertUnavailable("identity provider unavailable: " + base + "/empty/.well-known/openid-configuration"
                    + " is not OpenID provider metadata: Missing JSON object member with key issuer", base + "/empty");
            assertUnavailable("identity provider unavailable: " + base + "/implicit/.well-known/openid-configuration"
                    + " has no token_endpoint (set token-endpoint in the configuration)", base + "/implicit");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void tokenEndpointOverrideRescuesAnImplicitOnlyIdp() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serve(server, "/implicit/.well-known/openid-configuration", implicitOnlyMetadata(server));
        server.start();
        try {
            URI token = URI.create("https://login.example.com/token");
            IdpMetadata metadata = loader.load(URI.create("http://127.0.0.1:" + server.getAddress().getPort()
                    + "/implicit"), new IdpOverrides(null, token, null, null, null));
            assertEquals(token, metadata.tokenEndpoint());
            assertNull(metadata.userinfoEndpoint());
            assertNull(metadata.endSessionEndpoint());
        } finally {
            server.stop(0);
        }
    }

    private void assertUnavailable(String message, String domain) {
        IdpUnavailableException e = assertThrows(IdpUnavailableException.class,
                () -> loader.load(URI.create(domain), IdpOverrides.NONE));
        assertEquals(message, e.getMessage());
    }

    private static String implicitOnlyMetadata(HttpServer server) {
        String issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/implicit";
        return "{\"issuer\":\"" + issuer + "\",\"authorization_endpoint\":\"" + issuer + "/authorize\","
                + "\"jwks_uri\":\"" + issuer + "/jwks\",\"response_types_supported\":[\"id_token\"],"
                + "\"subject_types_supported\":[\"public\"],\"id_token_signing_alg_values_supported\":[\"RS256\"]}";
    }

    private static void serve(HttpServer server, String path, String json) {
        server.createContext(path, exchange -> {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
    }

    private static long elapsedMillis(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
    }
}
