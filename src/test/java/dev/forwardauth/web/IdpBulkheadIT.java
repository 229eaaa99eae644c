package dev.forwardauth.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 8: IdP calls must never hold the threads that answer /authorize. While logins hang at a slow IdP,
 * requests that need no IdP call (a valid session, a bearer token with known keys) keep passing; at most
 * idp-max-concurrent-calls requests wait for the IdP and the next ones get 503 at once; and a hundred
 * requests waiting for discovery or for the keys cause one call to the IdP. No timing is asserted closely:
 * only completion within bounds far below the IdP's 30 s hang.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdpBulkheadIT {
    static final String APP = "https://app.example.com";
    static final Duration BOUND = Duration.ofSeconds(20);

    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    IdpFronts fronts;
    EmbeddedForwardAuth forwardauth;
    ExecutorService pool;

    @BeforeAll
    void startIdp() throws Exception {
        fronts = new IdpFronts();
    }

    @AfterEach
    void stopForwardAuth() throws Exception {
        fronts.reset(); // lets hanging requests go, so forwardauth stops at once
        if (pool != null) {
            pool.shutdownNow();
        }
        if (forwardauth != null) {
            forwardauth.close();
            forwardauth = null;
        }
    }

    @AfterAll
    void stopIdp() {
        fronts.close();
    }

    @Test
    void sessionsAndBearerTokensPassWhileFiftyLoginsHangAtTheTokenEndpoint() throws Exception {
        // 40 server threads: without the bulkhead, fifty sign-ins waiting for the IdP would hold them all, and
        // the sessions below would wait for the IdP's 25 s read timeout too.
        forwardauth = new EmbeddedForwardAuth(fronts.config("\"idp-connect-timeout\": 2, \"idp-read-timeout\": 25,"
                + " \"idp-max-concurrent-calls\": 8,"), 40);
        List<String> sessions = new ArrayList<>();
        for (String user : List.of("alice", "bob", "carol", "dave")) {
            TraefikClient browser = new TraefikClient();
            Logins.login(browser, forwardauth, fronts.idp, APP + "/", Logins.user(user, Map.of()));
            sessions.add(cookieHeader(browser));
        }
        List<String> tokens = new ArrayList<>();
        for (String service : List.of("service-1", "service-2", "service-3", "service-4")) {
            String token = Logins.accessToken(fronts.idp, service, Map.of());
            assertEquals(200, send(authorize("Authorization", "Bearer " + token)).statusCode());
            tokens.add(token);
        }
        // Fifty users get as far as the IdP's redirect back to /signin; then the token endpoint hangs.
        List<TraefikClient> browsers = new ArrayList<>();
        List<String> callbacks = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            TraefikClient browser = new TraefikClient();
            callbacks.add(Logins.atIdp(browser, Logins.start(browser, forwardauth, APP + "/")));
            browsers.add(browser);
        }
        int exchanges = fronts.token.requests(FaultyIdp.Endpoint.TOKEN);
        fronts.token.fault(FaultyIdp.Fault.HANG);
        pool = Executors.newFixedThreadPool(66);
        List<Future<Integer>> signins = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            TraefikClient browser = browsers.get(i);
            String callback = callbacks.get(i);
            signins.add(pool.submit(() -> browser.route(forwardauth.uri("/"), callback, "Accept", "text/html")
                    .statusCode()));
        }
        awaitCondition(() -> fronts.token.requests(FaultyIdp.Endpoint.TOKEN) - exchanges == 8,
                "8 sign-ins at the IdP");

        long started = System.nanoTime();
        List<Future<Integer>> passing = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            HttpRequest request = i % 2 == 0 ? authorize("Cookie", sessions.get(i / 2 % sessions.size()))
                    : authorize("Authorization", "Bearer " + tokens.get(i / 2 % tokens.size()));
            passing.add(pool.submit(() -> send(request).statusCode()));
        }
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (Future<Integer> result : passing) {
            statuses.merge(result.get(BOUND.toSeconds(), TimeUnit.SECONDS), 1, Integer::sum);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertEquals(Map.of(200, 200), statuses, "statuses of session and bearer requests");
        assertTrue(took.compareTo(BOUND) < 0, "200 requests took " + took.toMillis() + " ms");
        // The sign-ins beyond the eight places were refused at once; the eight still wait for the IdP.
        awaitCondition(() -> signins.stream().filter(Future::isDone).count() >= 42, "42 sign-ins answered");
        Map<Integer, Integer> refused = new TreeMap<>();
        for (Future<Integer> signin : signins) {
            if (signin.isDone()) {
                refused.merge(signin.get(), 1, Integer::sum);
            }
        }
        assertEquals(Map.of(503, 42), refused, "sign-ins answered while the IdP hangs");
        assertEquals(8, fronts.token.requests(FaultyIdp.Endpoint.TOKEN) - exchanges, "only eight reached the IdP");

        fronts.reset();
        for (Future<Integer> signin : signins) {
            int status = signin.get(BOUND.toSeconds(), TimeUnit.SECONDS);
            assertTrue(status == 302 || status >= 400, "sign-in answered " + status);
        }
    }

    @Test
    void aHundredLoginsWaitingForDiscoveryCauseOneCallToTheIdp() throws Exception {
        fronts.discovery.fault(FaultyIdp.Fault.HANG);
        forwardauth = new EmbeddedForwardAuth(fronts.config("\"idp-connect-timeout\": 2, \"idp-read-timeout\": 3,"));
        // forwardauth asks for discovery as it starts; that one call is all the IdP will see.
        awaitCondition(() -> fronts.discovery.requests(FaultyIdp.Endpoint.DISCOVERY) == 1, "discovery asked");

        Map<Integer, Integer> statuses = concurrently(100, () -> authorize("Accept", "text/html"));

        assertEquals(Map.of(503, 100), statuses);
        assertEquals(1, fronts.discovery.requests(FaultyIdp.Endpoint.DISCOVERY));
    }

    @Test
    void aHundredBearerTokensWaitingForTheKeysCauseOneCallToTheIdp() throws Exception {
        fronts.keys.fault(FaultyIdp.Fault.HANG);
        String token = Logins.accessToken(fronts.idp, "service-1", Map.of());
        forwardauth = new EmbeddedForwardAuth(fronts.config("\"idp-connect-timeout\": 2, \"idp-read-timeout\": 3,"));
        // After discovery, forwardauth fetches the keys in the background; that one call is all the IdP will see.
        awaitCondition(() -> fronts.keys.requests(FaultyIdp.Endpoint.JWKS) == 1, "keys asked");

        Map<Integer, Integer> statuses = concurrently(100, () -> authorize("Authorization", "Bearer " + token));

        assertEquals(Map.of(503, 100), statuses);
        assertEquals(1, fronts.keys.requests(FaultyIdp.Endpoint.JWKS));
    }

    private Map<Integer, Integer> concurrently(int count, java.util.function.Supplier<HttpRequest> request)
            throws Exception {
        pool = Executors.newFixedThreadPool(count);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            results.add(pool.submit(() -> send(request.get()).statusCode()));
        }
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (Future<Integer> result : results) {
            statuses.merge(result.get(BOUND.toSeconds(), TimeUnit.SECONDS), 1, Integer::sum);
        }
        return statuses;
    }

    /** /authorize for a GET of the app's home page, as Traefik asks, with one more header. */
    private HttpRequest authorize(String header, String value) {
        URI url = forwardauth.uri("/authorize");
        return HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(60))
                .header("X-Forwarded-Method", "GET").header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "app.example.com").header("X-Forwarded-Uri", "/")
                .header(header, value).build();
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String cookieHeader(TraefikClient browser) {
        StringBuilder header = new StringBuilder();
        browser.cookies.forEach((name, value) -> header.append(header.length() == 0 ? "" : "; ")
                .append(name).append('=').append(value));
        return header.toString();
    }

    private static void awaitCondition(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 30 s: " + what);
            Thread.sleep(20);
        }
    }
}
