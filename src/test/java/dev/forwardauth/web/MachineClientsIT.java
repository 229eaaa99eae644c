package dev.forwardauth.web;

import static dev.forwardauth.web.Logins.AUDIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Machine clients with {@code allow-basic}: {@code Authorization: Basic base64(client-id:client-secret)} is
 * exchanged at the real mock-oauth2-server (client-credentials grant, the app's audience) and the token is
 * then a bearer token like any other: policy, 200/401/403, identity headers, {@code Bearer} upstream. The IdP
 * is asked once per pair, never again soon for a refused pair, and never for apps without allow-basic.
 * Each test uses its own client pair, since tokens stay cached for the whole class.
 */
class MachineClientsIT {
    static final String REPO = "https://repo.example.com";
    static final String APP = "https://app.example.com";

    static MachineClients machines = new MachineClients()
            .register("deployer", "deployer-secret", "read:packages write:packages")
            .register("reader", "reader-secret", "read:packages")
            .register("ci", "right-secret", "read:packages")
            .register("batch", "batch-secret", "read:packages")
            .register("viewer", "viewer-secret", "read:packages")
            .register("xhr", "xhr-secret", "read:packages");
    static MockOAuth2Server idp;
    static EmbeddedForwardAuth forwardauth;

    @BeforeAll
    static void start() throws Exception {
        idp = machines.start();
        forwardauth = new EmbeddedForwardAuth(config(idp.issuerUrl(Logins.ISSUER_ID).toString()));
    }

    @AfterAll
    static void stop() throws Exception {
        forwardauth.close();
        idp.shutdown();
    }

    @BeforeEach
    void forgetEarlierRequests() {
        MachineClients.takeRequests(idp);
    }

    /** repo.example.com takes Basic credentials; every other host (the default app) does not. */
    static String config(String issuer) {
        return """
                {
                  "domain": "%s",
                  "session-secret": "%s",
                  "default": {
                    "client-id": "forwardauth",
                    "client-secret": "secret",
                    "audience": "%s",
                    "redirect-uri": "https://app.example.com/oauth2/signin"
                  },
                  "apps": [{
                    "name": "repo.example.com",
                    "redirect-uri": "https://repo.example.com/oauth2/signin",
                    "allow-basic": true,
                    "claims": ["sub", "azp"],
                    "required-scopes": ["read:packages"],
                    "rules": [
                      {"path": "/public/**", "allow": "anonymous"},
                      {"path": "/releases/**", "methods": ["PUT", "POST", "DELETE"], "required-scopes": ["write:packages"]}
                    ]
                  }]
                }
                """.formatted(issuer, Logins.SESSION_SECRET, AUDIENCE);
    }

    static String basic(String clientId, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> call(String path, String method, String url, String... headers)
            throws Exception {
        return new TraefikClient().authorize(forwardauth.uri(path), method, url, headers);
    }

    @Test
    void basicCredentialsPassWithTheExchangedTokenUpstreamLikeABearerToken() throws Exception {
        HttpResponse<String> deploy = call("/authorize", "PUT", REPO + "/releases/app-1.0.jar",
                "Authorization", basic("deployer", "deployer-secret"));
        HttpResponse<String> nginx = call("/auth-request", "PUT", REPO + "/releases/app-1.0.pom",
                "Authorization", basic("deployer", "deployer-secret"));

        assertEquals(200, deploy.statusCode(), deploy.body());
        String upstream = Responses.header(deploy, "Authorization");
        assertTrue(upstream.startsWith("Bearer "), upstream);
        JWTClaimsSet claims = SignedJWT.parse(upstream.substring("Bearer ".length())).getJWTClaimsSet();
        assertEquals("deployer@clients", claims.getSubject());
        assertTrue(claims.getAudience().contains(AUDIENCE), claims.getAudience().toString());
        assertEquals("deployer@clients", Responses.header(deploy, "X-Forwarded-User"));
        assertEquals("deployer", Responses.header(deploy, "X-Forwardauth-azp"));
        assertEquals(200, nginx.statusCode(), nginx.body());
        assertEquals(upstream, Responses.header(nginx, "Authorization"));

        List<RecordedRequest> exchanges = MachineClients.takeTokenRequests(idp);
        assertEquals(1, exchanges.size(), "one exchange for both requests");
        assertEquals("client_credentials", MachineClients.form(exchanges.get(0)).get("grant_type"));
        assertEquals(AUDIENCE, MachineClients.form(exchanges.get(0)).get("audience"));
        // The mock's discovery document lists no authentication methods: OAuth 2.0's default, HTTP Basic.
        assertEquals(basic("deployer", "deployer-secret"), exchanges.get(0).getHeader("Authorization"));
    }

    @Test
    void aMachineLackingAScopeGets403NamingIt() throws Exception {
        HttpResponse<String> write = call("/authorize", "PUT", REPO + "/releases/app-1.0.jar",
                "Authorization", basic("reader", "reader-secret"), "Accept", "application/json");
        HttpResponse<String> read = call("/authorize", "GET", REPO + "/releases/app-1.0.jar",
                "Authorization", basic("reader", "reader-secret"));

        assertEquals(403, write.statusCode(), write.body());
        assertEquals(List.of("write:packages"), Responses.json(write).get("missing_scopes"));
        assertFalse(Responses.hasHeader(write, "X-Forwarded-User"));
        assertEquals(200, read.statusCode(), read.body());
        assertEquals("reader@clients", Responses.header(read, "X-Forwarded-User"));
    }

    @Test
    void aWrongSecretIs401AndIsNotSentToTheIdpAgainSoon() throws Exception {
        HttpResponse<String> first = call("/authorize", "GET", REPO + "/releases/",
                "Authorization", basic("ci", "wrong-secret"));
        HttpResponse<String> again = call("/authorize", "GET", REPO + "/releases/",
                "Authorization", basic("ci", "wrong-secret"));

        for (HttpResponse<String> refused : List.of(first, again)) {
            assertEquals(401, refused.statusCode(), refused.body());
            List<String> challenges = refused.headers().allValues("WWW-Authenticate");
            assertTrue(challenges.contains("Basic realm=\"forwardauth\", charset=\"UTF-8\""), challenges.toString());
            assertTrue(challenges.stream().anyMatch(c -> c.startsWith("Bearer realm=\"forwardauth\"")),
                    challenges.toString());
            assertEquals("unauthorized", Responses.json(refused).get("error"));
            String message = (String) Responses.json(refused).get("message");
            assertTrue(message.contains("refused the client credentials of ci"), message);
            assertFalse(refused.body().contains("wrong-secret"), refused.body());
        }
        assertEquals(1, MachineClients.takeTokenRequests(idp).size(), "the refused pair went to the IdP once");

        HttpResponse<String> fixed = call("/authorize", "GET", REPO + "/releases/",
                "Authorization", basic("ci", "right-secret"));
        assertEquals(200, fixed.statusCode(), fixed.body());
        assertEquals(1, MachineClients.takeTokenRequests(idp).size(), "the right secret is another pair");
    }

    @Test
    void concurrentAndRepeatedRequestsWithOnePairCallTheIdpOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> first = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Callable<HttpResponse<String>> request = () -> {
                    go.await();
                    return call("/authorize", "GET", REPO + "/releases/lib.jar",
                            "Authorization", basic("batch", "batch-secret"));
                };
                first.add(pool.submit(request));
            }
            go.countDown();
            for (Future<HttpResponse<String>> response : first) {
                assertEquals(200, response.get(30, TimeUnit.SECONDS).statusCode());
            }
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(200, call("/authorize", "GET", REPO + "/releases/lib-" + i + ".jar",
                    "Authorization", basic("batch", "batch-secret")).statusCode());
        }

        assertEquals(1, MachineClients.takeTokenRequests(idp).size());
    }

    @Test
    void withoutAllowBasicBasicCredentialsAreIgnoredAsBeforeAndNeverSentToTheIdp() throws Exception {
        HttpResponse<String> api = call("/authorize", "GET", APP + "/api",
                "Authorization", basic("deployer", "deployer-secret"), "Accept", "application/json");
        HttpResponse<String> browser = call("/authorize", "GET", APP + "/",
                "Authorization", basic("deployer", "deployer-secret"), "Accept", "text/html");

        assertEquals(401, api.statusCode(), api.body());
        assertEquals(List.of("Bearer realm=\"forwardauth\""), api.headers().allValues("WWW-Authenticate"));
        assertEquals("sign-in required", Responses.json(api).get("message"));
        // Any Authorization header marks an API client (no login redirect); that was so before allow-basic.
        assertEquals(401, browser.statusCode(), browser.body());
        assertFalse(Responses.setsPendingLogin(browser));
        assertEquals(List.of(), MachineClients.takeTokenRequests(idp));
    }

    @Test
    void anAllowBasicAppChallengesForBasicExceptInAScriptsXhr() throws Exception {
        HttpResponse<String> client = call("/authorize", "GET", REPO + "/releases/", "Accept", "application/json");
        HttpResponse<String> xhr = call("/authorize", "GET", REPO + "/releases/",
                "Accept", "application/json", "X-Requested-With", "XMLHttpRequest");
        HttpResponse<String> browser = call("/authorize", "GET", REPO + "/releases/", "Accept", "text/html");

        assertEquals(401, client.statusCode(), client.body());
        assertEquals(List.of("Bearer realm=\"forwardauth\"", "Basic realm=\"forwardauth\", charset=\"UTF-8\""),
                client.headers().allValues("WWW-Authenticate"));
        assertEquals(401, xhr.statusCode(), xhr.body());
        assertEquals(List.of("Bearer realm=\"forwardauth\""), xhr.headers().allValues("WWW-Authenticate"));
        assertEquals(307, browser.statusCode(), "a browser without credentials still goes to the login");
    }

    @Test
    void anonymousRulesShowACachedMachineIdentityButNeverAskTheIdp() throws Exception {
        String credentials = basic("viewer", "viewer-secret");

        HttpResponse<String> before = call("/authorize", "GET", REPO + "/public/index.html", "Authorization", credentials);
        assertEquals(200, before.statusCode(), before.body());
        assertFalse(Responses.hasHeader(before, "X-Forwarded-User"));
        assertEquals(List.of(), MachineClients.takeTokenRequests(idp));

        assertEquals(200, call("/authorize", "GET", REPO + "/releases/", "Authorization", credentials).statusCode());
        HttpResponse<String> after = call("/authorize", "GET", REPO + "/public/index.html", "Authorization", credentials);

        assertEquals(200, after.statusCode(), after.body());
        assertEquals("viewer@clients", Responses.header(after, "X-Forwarded-User"));
        assertEquals(1, MachineClients.takeTokenRequests(idp).size());
    }

    @Test
    void malformedBasicCredentialsAre401WithoutAskingTheIdp() throws Exception {
        HttpResponse<String> noColon = call("/authorize", "GET", REPO + "/releases/", "Authorization",
                "Basic " + Base64.getEncoder().encodeToString("just-an-id".getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> notBase64 = call("/authorize", "GET", REPO + "/releases/", "Authorization", "Basic %%%");

        for (HttpResponse<String> refused : List.of(noColon, notBase64)) {
            assertEquals(401, refused.statusCode(), refused.body());
            assertTrue(((String) Responses.json(refused).get("message")).contains("malformed Basic credentials"),
                    refused.body());
        }
        assertEquals(List.of(), MachineClients.takeTokenRequests(idp));
    }

    @Test
    void anIdpThatIsDownGives503WhileCachedTokensKeepWorking() throws Exception {
        MockOAuth2Server own = new MachineClients()
                .register("early", "early-secret", "read:packages")
                .register("late", "late-secret", "read:packages")
                .start();
        try (EmbeddedForwardAuth server = new EmbeddedForwardAuth(config(own.issuerUrl(Logins.ISSUER_ID).toString()))) {
            TraefikClient client = new TraefikClient();
            assertEquals(200, client.authorize(server.uri("/authorize"), "GET", REPO + "/releases/",
                    "Authorization", basic("early", "early-secret")).statusCode());
            own.shutdown();

            HttpResponse<String> cached = client.authorize(server.uri("/authorize"), "GET", REPO + "/releases/",
                    "Authorization", basic("early", "early-secret"));
            HttpResponse<String> late = client.authorize(server.uri("/authorize"), "GET", REPO + "/releases/",
                    "Authorization", basic("late", "late-secret"), "Accept", "application/json");

            assertEquals(200, cached.statusCode(), cached.body());
            assertEquals(503, late.statusCode(), late.body());
            assertEquals("unavailable", Responses.json(late).get("error"));
            assertFalse(Responses.hasHeader(late, "X-Forwarded-User"));
        } finally {
            own.shutdown();
        }
    }

    @Test
    void theTokenEndpointOverrideIsWhereCredentialsAreExchanged() throws Exception {
        MockOAuth2Server own = new MachineClients().register("relay", "relay-secret", "read:packages").start();
        try (IdpSidecar sidecar = new IdpSidecar(own.jwksUrl(Logins.ISSUER_ID).uri(),
                own.tokenEndpointUrl(Logins.ISSUER_ID).uri())) {
            String config = config(own.issuerUrl(Logins.ISSUER_ID).toString()).replace("\"session-secret\"",
                    "\"token-endpoint\": \"" + sidecar.tokenUri() + "\",\n  \"session-secret\"");
            try (EmbeddedForwardAuth server = new EmbeddedForwardAuth(config)) {
                HttpResponse<String> relayed = new TraefikClient().authorize(server.uri("/authorize"), "GET",
                        REPO + "/releases/", "Authorization", basic("relay", "relay-secret"));
                assertEquals(200, relayed.statusCode(), relayed.body());
                assertEquals(List.of("client_credentials"), sidecar.grantTypes());

                sidecar.tokenEndpointDown(true);
                HttpResponse<String> down = new TraefikClient().authorize(server.uri("/authorize"), "GET",
                        REPO + "/releases/", "Authorization", basic("relay", "another-secret"));

                assertEquals(503, down.statusCode(), down.body());
                // (HttpURLConnection itself may send a POST again once when the connection drops unanswered.)
                assertTrue(sidecar.grantTypes().stream().allMatch("client_credentials"::equals),
                        sidecar.grantTypes().toString());
            }
        } finally {
            own.shutdown();
        }
    }
}
