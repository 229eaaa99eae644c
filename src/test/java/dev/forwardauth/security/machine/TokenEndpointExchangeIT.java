package dev.forwardauth.security.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.forwardauth.security.token.HttpTimeouts;
import dev.forwardauth.security.token.IdpMetadata;
import dev.forwardauth.security.token.IdpMetadataLoader;
import dev.forwardauth.security.token.IdpOverrides;
import dev.forwardauth.security.token.IdpUnavailableException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import okhttp3.Headers;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client-credentials call itself against the real mock-oauth2-server: what is sent, and how each kind of
 * answer is read. The token endpoint's misbehaviour (slow, failing, refusing) comes from a route put in front
 * of the server's own, switched per test; short timeouts keep the slow case quick.
 */
class TokenEndpointExchangeIT {
    private static final String AUDIENCE = "https://api.example.com";
    private static final HttpTimeouts SHORT = new HttpTimeouts(Duration.ofMillis(500), Duration.ofMillis(500));
    private static final ClientCredentials BOT = new ClientCredentials("ci-bot", "bot-secret");

    /** What the token endpoint does instead of issuing a token; null: issue one. */
    private volatile OAuth2HttpResponse tokenAnswer;
    private volatile boolean slow;
    private final CountDownLatch release = new CountDownLatch(1);
    private MockOAuth2Server idp;

    @BeforeEach
    void start() {
        Route misbehaving = new Route() {
            @Override
            public boolean match(OAuth2HttpRequest request) {
                return request.getUrl().encodedPath().endsWith("/token") && (slow || tokenAnswer != null);
            }

            @Override
            public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
                if (slow) {
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return tokenAnswer != null ? tokenAnswer : new OAuth2HttpResponse(Headers.of(), 500, "", null);
            }
        };
        Route auth0Discovery = new Route() {
            @Override
            public boolean match(OAuth2HttpRequest request) {
                return request.getUrl().encodedPath().equals("/auth0like/.well-known/openid-configuration");
            }

            @Override
            public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
                return new OAuth2HttpResponse(Headers.of("Content-Type", "application/json"), 200, auth0Discovery(), null);
            }
        };
        idp = new MockOAuth2Server(misbehaving, auth0Discovery);
        idp.start();
        // A fresh mock server's first answer loads much of its code: not within the short timeouts on a busy
        // machine. Wait for it once, without a timeout.
        auth0Discovery();
        tokenRequests();
    }

    @AfterEach
    void stop() {
        release.countDown();
        idp.shutdown();
    }

    private IdpMetadata discovery(String issuerId) throws IdpUnavailableException {
        return new IdpMetadataLoader(HttpTimeouts.DEFAULT).load(idp.issuerUrl(issuerId).uri(), IdpOverrides.NONE);
    }

    private TokenEndpointExchange exchange(String issuerId, HttpTimeouts timeouts) throws IdpUnavailableException {
        IdpMetadata metadata = discovery(issuerId);
        return new TokenEndpointExchange(() -> metadata, AUDIENCE, timeouts);
    }

    /** The mock's own discovery document, plus the authentication methods Auth0's lists. */
    private String auth0Discovery() {
        try {
            String own = HttpClient.newHttpClient().send(HttpRequest.newBuilder(idp.wellKnownUrl("default").uri()).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Map<String, Object> json = JSONObjectUtils.parse(own);
            json.put("issuer", idp.issuerUrl("auth0like").toString());
            json.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
            return JSONObjectUtils.toJSONString(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<RecordedRequest> tokenRequests() {
        List<RecordedRequest> requests = new ArrayList<>();
        while (true) {
            try {
                RecordedRequest request = idp.takeRequest(50, TimeUnit.MILLISECONDS);
                if (request.getPath() != null && request.getPath().endsWith("/token")) {
                    requests.add(request);
                }
            } catch (RuntimeException empty) {
                return requests;
            }
        }
    }

    @Test
    void sendsTheClientCredentialsGrantWithTheAudienceAndReadsTheToken() throws Exception {
        IssuedToken issued = exchange("default", HttpTimeouts.DEFAULT).exchange(BOT);

        assertEquals(3, issued.accessToken().split("\\.").length, "a JWT");
        assertNotNull(issued.lifetime());
        assertTrue(issued.lifetime().toSeconds() > 3000, issued.lifetime().toString());
        RecordedRequest sent = tokenRequests().get(0);
        String form = sent.getBody().readUtf8();
        assertTrue(form.contains("grant_type=client_credentials"), form);
        assertTrue(form.contains("audience=https%3A%2F%2Fapi.example.com"), form);
        assertTrue(!form.contains("bot-secret"), "the secret is in the Authorization header, not the form: " + form);
        assertEquals("Basic Y2ktYm90OmJvdC1zZWNyZXQ=", sent.getHeader("Authorization"));
    }

    @Test
    void usesTheFormBodyWhenDiscoveryListsClientSecretPostAsAuth0Does() throws Exception {
        exchange("auth0like", HttpTimeouts.DEFAULT).exchange(BOT);

        RecordedRequest sent = tokenRequests().get(0);
        String form = sent.getBody().readUtf8();
        assertNull(sent.getHeader("Authorization"));
        assertTrue(form.contains("client_id=ci-bot") && form.contains("client_secret=bot-secret"), form);
        assertTrue(form.contains("audience=https%3A%2F%2Fapi.example.com"), form);
    }

    @Test
    void aRefusalNamesTheClientAndTheIdpsErrorButNotTheSecret() throws Exception {
        TokenEndpointExchange exchange = exchange("default", HttpTimeouts.DEFAULT);
        tokenAnswer = new OAuth2HttpResponse(Headers.of("Content-Type", "application/json"), 401,
                "{\"error\":\"invalid_client\",\"error_description\":\"Wrong client secret\"}", null);

        CredentialsRefusedException refused = assertThrows(CredentialsRefusedException.class, () -> exchange.exchange(BOT));

        assertEquals("the identity provider refused the client credentials of ci-bot for audience " + AUDIENCE
                + " (HTTP 401, invalid_client: Wrong client secret)", refused.getMessage());
    }

    @Test
    void forbiddenAndBadRequestAreRefusalsToo() throws Exception {
        TokenEndpointExchange exchange = exchange("default", HttpTimeouts.DEFAULT);
        for (int status : new int[] {400, 403}) {
            tokenAnswer = new OAuth2HttpResponse(Headers.of("Content-Type", "application/json"), status,
                    "{\"error\":\"access_denied\",\"error_description\":\"Client has not been granted scopes\"}", null);

            CredentialsRefusedException refused = assertThrows(CredentialsRefusedException.class,
                    () -> exchange.exchange(BOT));
            assertTrue(refused.getMessage().contains("HTTP " + status + ", access_denied"), refused.getMessage());
        }
    }

    @Test
    void serverErrorsAndRateLimitsAreUnavailabilityNotRefusals() throws Exception {
        TokenEndpointExchange exchange = exchange("default", HttpTimeouts.DEFAULT);
        for (int status : new int[] {500, 502, 429}) {
            tokenAnswer = new OAuth2HttpResponse(Headers.of("Content-Type", "text/plain"), status, "busy", null);

            IdpUnavailableException unavailable = assertThrows(IdpUnavailableException.class, () -> exchange.exchange(BOT));
            assertTrue(unavailable.getMessage().contains("answered HTTP " + status), unavailable.getMessage());
        }
    }

    @Test
    void aSlowTokenEndpointTimesOutAsUnavailable() throws Exception {
        TokenEndpointExchange exchange = exchange("default", SHORT);
        slow = true;

        IdpUnavailableException unavailable = assertThrows(IdpUnavailableException.class, () -> exchange.exchange(BOT));

        assertTrue(unavailable.getMessage().contains("timed out"), unavailable.getMessage());
    }

    @Test
    void aStoppedIdpIsUnavailable() throws Exception {
        TokenEndpointExchange exchange = exchange("default", SHORT);
        idp.shutdown();

        IdpUnavailableException unavailable = assertThrows(IdpUnavailableException.class, () -> exchange.exchange(BOT));

        assertTrue(unavailable.getMessage().startsWith("identity provider unavailable: cannot reach its token endpoint"),
                unavailable.getMessage());
    }

    @Test
    void aSuccessWithoutATokenIsUnavailable() throws Exception {
        TokenEndpointExchange exchange = exchange("default", HttpTimeouts.DEFAULT);
        tokenAnswer = new OAuth2HttpResponse(Headers.of("Content-Type", "application/json"), 200, "{\"token_type\":\"Bearer\"}", null);

        IdpUnavailableException unavailable = assertThrows(IdpUnavailableException.class, () -> exchange.exchange(BOT));

        assertTrue(unavailable.getMessage().contains("without a usable token response"), unavailable.getMessage());
    }
}
