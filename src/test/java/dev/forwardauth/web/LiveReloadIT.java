package dev.forwardauth.web;

import static dev.forwardauth.web.Logins.AUDIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forwardauth.config.ConfigCheck;
import dev.forwardauth.reload.Await;
import dev.forwardauth.reload.LogCapture;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.stream.Collectors;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live config reload in a running forwardauth (docs/operations.md, Live reload): the config file is changed
 * under it in the ways operators change files, and the proxy's next answers follow without a restart, while
 * signed-in users stay signed in. Every wait is for an answer, never for a time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveReloadIT {
    static final String APP = "https://app.example.com";
    static final String OTHER_SECRET = "fedcba9876543210fedcba9876543210";

    MockOAuth2Server idp;
    EmbeddedForwardAuth forwardauth;
    @TempDir
    Path dir;

    @BeforeAll
    void startIdp() {
        idp = new MockOAuth2Server();
        idp.start();
    }

    @AfterAll
    void stopIdp() {
        idp.shutdown();
    }

    @AfterEach
    void stop() throws Exception {
        if (forwardauth != null) {
            forwardauth.close();
            forwardauth = null;
        }
    }

    /** One app; {@code /internal/**} and {@code /toggle/**} have rules the tests change, the rest needs a login. */
    String config(String secret, String internal, String toggle) {
        return """
                {
                  "domain": "%s",
                  "session-secret": "%s",
                  "default": {
                    "client-id": "forwardauth",
                    "client-secret": "secret",
                    "audience": "%s",
                    "redirect-uri": "https://app.example.com/oauth2/signin",
                    "rules": [
                      {"path": "/internal/**", "allow": "%s"},
                      {"path": "/toggle/**", "allow": "%s"}
                    ]
                  }
                }
                """.formatted(idp.issuerUrl(Logins.ISSUER_ID), secret, AUDIENCE, internal, toggle);
    }

    String config(String internal) {
        return config(Logins.SESSION_SECRET, internal, "anonymous");
    }

    HttpResponse<String> decide(TraefikClient client, String path) throws Exception {
        return client.authorize(forwardauth.uri("/authorize"), "GET", APP + path, "Accept", "text/html");
    }

    int status(TraefikClient client, String path) throws Exception {
        return decide(client, path).statusCode();
    }

    void awaitStatus(TraefikClient client, String path, int expected) throws Exception {
        Await.until(path + " answering " + expected, () -> status(client, path), status -> status == expected);
    }

    TraefikClient signedIn(String subject) throws Exception {
        TraefikClient browser = new TraefikClient();
        Logins.login(browser, forwardauth, idp, APP + "/", Logins.user(subject, Map.of()));
        return browser;
    }

    /** How deploy tools and most editors save: a new file renamed over the old one, never half written. */
    static void replace(Path file, String content) throws Exception {
        Path next = Files.writeString(file.resolveSibling(".forwardauth.json.new"), content);
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void aChangedRuleAnswersWithoutARestartAndTheSessionKeepsWorking() throws Exception {
        forwardauth = new EmbeddedForwardAuth(config("authenticated"));
        TraefikClient browser = signedIn("alice");
        assertEquals(200, status(browser, "/internal/reports"));

        Files.writeString(forwardauth.configFile(), config("deny"));

        awaitStatus(browser, "/internal/reports", 403);
        HttpResponse<String> page = decide(browser, "/dashboard");
        assertEquals(200, page.statusCode(), "the session made before the reload still counts: " + page.body());
        assertEquals("alice", Responses.header(page, "X-Forwarded-User"));
        assertFalse(Responses.setCookie(page, Responses.SESSION_COOKIE).isPresent(),
                "the session cookie is left alone");
    }

    @Test
    void anInvalidFileIsRefusedWithTheLinesOfCheckConfigAndTheRunningConfigStays() throws Exception {
        forwardauth = new EmbeddedForwardAuth(config("deny"));
        TraefikClient browser = signedIn("alice");
        Path file = forwardauth.configFile();
        String invalid = config("too short", "sometimes", "anonymous")
                .replace("\"default\"", "\"colour\": \"blue\", \"default\"");
        try (LogCapture log = LogCapture.of("dev.forwardauth.reload")) {
            replace(file, invalid);
            List<String> expected = ConfigCheck.problems(file.toString()).stream()
                    .map(problem -> "config: " + problem).toList();
            assertEquals(3, expected.size(), expected.toString());

            Await.until("the problems in the log", () -> log.messages(Level.SEVERE).containsAll(expected));

            assertEquals(expected, log.messages(Level.SEVERE), "one line per problem, nothing else");
            assertTrue(log.messages(Level.WARNING).contains("config " + file + " not reloaded (the file changed): 3"
                    + " problem(s); still serving the configuration in use"), log.messages().toString());
        }
        assertEquals(403, status(browser, "/internal/reports"), "the rule in use stays");
        assertEquals(200, status(browser, "/dashboard"), "and so does the session");

        replace(file, config("authenticated"));

        awaitStatus(browser, "/internal/reports", 200);
    }

    @Test
    void aFileReplacedByARenameIsReloaded() throws Exception {
        forwardauth = new EmbeddedForwardAuth(config("anonymous"));
        TraefikClient anonymous = new TraefikClient();
        assertEquals(200, status(anonymous, "/internal/reports"));

        replace(forwardauth.configFile(), config("deny"));

        awaitStatus(anonymous, "/internal/reports", 403);
    }

    /** A Kubernetes ConfigMap volume: config.json -> ..data/config.json, updated by swapping ..data. */
    @Test
    void aConfigMapUpdateBySymlinkSwapIsReloaded() throws Exception {
        Path first = Files.createDirectory(dir.resolve("..2026_11_26_10_00_00.1"));
        Files.writeString(first.resolve("config.json"), config("anonymous"));
        Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
        Path file = Files.createSymbolicLink(dir.resolve("config.json"), Path.of("..data/config.json"));
        forwardauth = new EmbeddedForwardAuth(file, Map.of());
        TraefikClient anonymous = new TraefikClient();
        assertEquals(200, status(anonymous, "/internal/reports"));

        Path second = Files.createDirectory(dir.resolve("..2026_11_26_10_05_00.2"));
        Files.writeString(second.resolve("config.json"), config("deny"));
        Path swap = Files.createSymbolicLink(dir.resolve("..data_tmp"), second.getFileName());
        Files.move(swap, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.delete(first.resolve("config.json"));
        Files.delete(first);

        awaitStatus(anonymous, "/internal/reports", 403);
    }

    /**
     * Browsers with a session and API clients with a bearer token keep asking while the config is reloaded
     * again and again; every answer is the 200 with the caller's identity that both configurations give.
     */
    @Test
    void noRequestFailsWhileTheConfigIsReloaded() throws Exception {
        forwardauth = new EmbeddedForwardAuth(config(Logins.SESSION_SECRET, "authenticated", "anonymous"));
        TraefikClient alice = signedIn("alice");
        String bobsToken = Logins.accessToken(idp, "bob", Map.of());
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        AtomicInteger requests = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService callers = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                boolean browser = i % 2 == 0;
                running.add(callers.submit(() -> {
                    TraefikClient client = new TraefikClient();
                    client.cookies.putAll(browser ? alice.cookies : Map.of());
                    String[] headers = browser ? new String[] {"Accept", "text/html"}
                            : new String[] {"Authorization", "Bearer " + bobsToken};
                    while (!stop.get()) {
                        String answer;
                        try {
                            HttpResponse<String> response = client.authorize(forwardauth.uri("/authorize"), "GET",
                                    APP + "/internal/reports", headers);
                            answer = response.statusCode() + " " + Responses.header(response, "X-Forwarded-User");
                        } catch (Exception e) {
                            answer = e.toString();
                        }
                        answers.computeIfAbsent(answer, key -> new AtomicInteger()).incrementAndGet();
                        requests.incrementAndGet();
                    }
                    return null;
                }));
            }
            TraefikClient probe = new TraefikClient();
            for (int reload = 1; reload <= 10; reload++) {
                boolean deny = reload % 2 == 1;
                Files.writeString(forwardauth.configFile(),
                        config(Logins.SESSION_SECRET, "authenticated", deny ? "deny" : "anonymous"));
                awaitStatus(probe, "/toggle/x", deny ? 403 : 200);
                int before = requests.get();
                Await.until("requests served after reload " + reload, () -> requests.get() >= before + 20);
            }
        } finally {
            stop.set(true);
            callers.shutdown();
        }
        for (Future<?> caller : running) {
            caller.get();
        }
        Map<String, Integer> counted = new TreeMap<>(answers.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().get())));
        assertEquals(Set.of("200 alice", "200 bob"), counted.keySet(), "answers during 10 reloads: " + counted);
    }

    @Test
    void aChangedSessionSecretSignsEveryoneOut() throws Exception {
        forwardauth = new EmbeddedForwardAuth(config("authenticated"));
        TraefikClient browser = signedIn("alice");

        Files.writeString(forwardauth.configFile(), config(OTHER_SECRET, "authenticated", "anonymous"));

        HttpResponse<String> page = Await.until("the old session refused", () -> decide(browser, "/dashboard"),
                response -> response.statusCode() == 307);
        assertTrue(Responses.location(page).startsWith(idp.authorizationEndpointUrl(Logins.ISSUER_ID).toString()));
        Logins.login(browser, forwardauth, idp, APP + "/", Logins.user("alice", Map.of()));
        assertEquals(200, status(browser, "/dashboard"), "signing in again works");
    }

    @Test
    void undeployingEndsTheReloadThreads() throws Exception {
        Set<Thread> before = reloadThreads();
        forwardauth = new EmbeddedForwardAuth(config("anonymous"));
        replace(forwardauth.configFile(), config("deny"));
        awaitStatus(new TraefikClient(), "/internal/reports", 403);
        Set<Thread> started = reloadThreads();
        started.removeAll(before);
        assertEquals(Set.of("forwardauth-config-watch", "forwardauth-config-reload"),
                started.stream().map(Thread::getName).collect(Collectors.toSet()));

        forwardauth.close();
        forwardauth = null;

        assertEquals(List.of(), started.stream().filter(Thread::isAlive).map(Thread::getName).toList());
    }

    @Test
    void reloadOffWatchesNothing() throws Exception {
        Set<Thread> before = reloadThreads();
        try (LogCapture log = LogCapture.of("dev.forwardauth.reload")) {
            forwardauth = new EmbeddedForwardAuth(config("anonymous"), Map.of("forwardauth.reload", "off"));

            Set<Thread> started = reloadThreads();
            started.removeAll(before);
            assertEquals(Set.of(), started);
            assertTrue(log.messages().contains("config reload: off (forwardauth.reload=off); the config is read at"
                    + " start-up only"), log.messages().toString());
        }
    }

    private static Set<Thread> reloadThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("forwardauth-config-"))
                .collect(Collectors.toSet());
    }
}
