package dev.forwardauth.security;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forwardauth.security.token.IdpUnavailableException;
import dev.forwardauth.security.token.MutableClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The identity provider's metadata and keys, fetched on first need from a real OIDC server that the tests start
 * and stop on one port; the clock is moved by hand.
 */
class IdentityProviderTest {
    private final MutableClock clock = MutableClock.startingNow();
    private final int port = freePort();
    private final URI domain = URI.create("http://localhost:" + port + "/default");
    private final IdentityProvider idp = TestSetup.idp(domain.toString(), clock);
    private MockOAuth2Server server;

    @AfterEach
    void stop() {
        stopServer();
    }

    @Test
    void metadataAndKeysAreFetchedOnFirstNeedAndKept() throws Exception {
        assertFalse(idp.isLoaded());
        startServer();

        assertEquals("http://localhost:" + port + "/default", idp.metadata().issuer());
        assertTrue(idp.isLoaded());
        assertSame(idp.keys(), idp.keys());

        stopServer();
        assertEquals("http://localhost:" + port + "/default", idp.metadata().issuer(), "no second fetch");
    }

    @Test
    void aFailedFetchIsRememberedForFiveSecondsThenTriedAgain() throws Exception {
        IdpUnavailableException down = assertThrows(IdpUnavailableException.class, idp::metadata);
        assertTrue(down.getMessage().startsWith("identity provider unavailable: cannot fetch " + domain
                + "/.well-known/openid-configuration: "), down.getMessage());
        assertFalse(idp.isLoaded());

        startServer();
        clock.advance(Duration.ofMillis(4999));
        assertSame(down, assertThrows(IdpUnavailableException.class, idp::keys), "the IdP is not asked again yet");

        clock.advance(Duration.ofMillis(1));
        assertEquals("http://localhost:" + port + "/default", idp.metadata().issuer());
    }

    @Test
    void reachabilityIsCheckedAtMostEveryFiveSeconds() throws Exception {
        startServer();
        assertDoesNotThrow(idp::requireReachable);

        stopServer();
        clock.advance(Duration.ofMillis(4999));
        assertDoesNotThrow(idp::requireReachable, "the last answer still holds");

        clock.advance(Duration.ofMillis(1));
        IdpUnavailableException down = assertThrows(IdpUnavailableException.class, idp::requireReachable);
        assertSame(down, assertThrows(IdpUnavailableException.class, idp::requireReachable), "so does a bad answer");

        startServer();
        assertSame(down, assertThrows(IdpUnavailableException.class, idp::requireReachable));
        clock.advance(Duration.ofSeconds(5));
        assertDoesNotThrow(idp::requireReachable);
        stopServer();
        assertDoesNotThrow(idp::requireReachable, "a good answer is remembered again");
    }

    @Test
    void reachabilityNeedsTheMetadataFirst() {
        IdpUnavailableException down = assertThrows(IdpUnavailableException.class, idp::requireReachable);
        assertTrue(down.getMessage().startsWith("identity provider unavailable: cannot fetch "), down.getMessage());
        assertFalse(idp.isLoaded());
    }

    private void startServer() {
        server = new MockOAuth2Server();
        server.start(InetAddress.getLoopbackAddress(), port);
    }

    private void stopServer() {
        if (server != null) {
            server.shutdown();
            server = null;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
