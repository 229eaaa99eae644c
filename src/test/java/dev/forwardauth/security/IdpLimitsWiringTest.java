package dev.forwardauth.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forwardauth.config.ConfigLoader;
import dev.forwardauth.config.ForwardAuthConfig;
import dev.forwardauth.security.token.Telemetry;
import dev.forwardauth.security.token.IdpCalls;
import dev.forwardauth.security.token.IdpUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pac4j.oidc.config.OidcConfiguration;

/**
 * The configured IdP limits reach every client that calls the IdP: our own fetches (discovery, keys) and
 * pac4j's token requests (Nimbus HTTPRequest, configured from OidcConfiguration). Nothing here contacts the
 * IdP: discovery is lazy.
 */
class IdpLimitsWiringTest {
    @Test
    void configuredTimeoutsAndLimitReachOurCallsAndPac4js(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, """
                {
                  "domain": "https://tenant.eu.auth0.com/",
                  "idp-connect-timeout": 7,
                  "idp-read-timeout": 9,
                  "idp-max-concurrent-calls": 3,
                  "session-secret": "0123456789abcdef0123456789abcdef",
                  "default": {
                    "client-id": "id", "audience": "https://api.example.com",
                    "redirect-uri": "https://auth.example.com/oauth2/signin"
                  },
                  "apps": [{"name": "app.example.com", "client-id": "other"}]
                }
                """);
        ForwardAuthConfig config = ConfigLoader.load(file, Map.of());
        try (ForwardAuthSecurity security = new ForwardAuthSecurity(config,
                ForwardAuthSecurity.identityProvider(config, Clock.systemUTC(), null, Telemetry.NONE),
                ForwardAuthSecurity.timeouts(config), null, Clock.systemUTC(), Telemetry.NONE)) {
            assertEquals(Duration.ofSeconds(7), security.idp().calls().timeouts().connect());
            assertEquals(Duration.ofSeconds(9), security.idp().calls().timeouts().read());
            assertEquals(Duration.ofSeconds(17), security.idp().calls().waitLimit());
            for (String host : new String[] {"app.example.com", "unlisted.example.com"}) {
                OidcConfiguration pac4j = security.appFor(host).orElseThrow().oidcClient().getConfiguration();
                assertEquals(7_000, pac4j.getConnectTimeout(), host);
                assertEquals(9_000, pac4j.getReadTimeout(), host);
            }
            assertLimit(security.idp().calls(), 3);
        }
    }

    // As many threads as the limit hold a place each; one more is refused.
    private static void assertLimit(IdpCalls calls, int limit) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(limit);
        CountDownLatch holding = new CountDownLatch(limit);
        CountDownLatch leave = new CountDownLatch(1);
        try {
            for (int i = 0; i < limit; i++) {
                threads.submit(() -> {
                    try (IdpCalls.Permit permit = calls.enter()) {
                        holding.countDown();
                        leave.await();
                    }
                    return null;
                });
            }
            assertTrue(holding.await(10, TimeUnit.SECONDS));
            assertThrows(IdpUnavailableException.class, calls::enter);
        } finally {
            leave.countDown();
            threads.shutdown();
        }
    }
}
