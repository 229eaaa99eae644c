package dev.forwardauth.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/**
 * The /authorize benchmark (docs/performance.md), run by {@code bash bench/run}: forwardauth from
 * target/forwardauth.war as a child JVM against an in-process mock-oauth2-server, one real login for a session
 * cookie, a token minted for the bearer case, and a bare Jetty handler in a JVM with the same options as the
 * ceiling. Each case is driven by wrk over loopback and printed as a row of one table.
 *
 * <p>Arguments: the case keys to run (default all). Environment: BENCH_WARMUP and BENCH_DURATION (seconds),
 * BENCH_CONNECTIONS, BENCH_THREADS, FORWARDAUTH_JVM_OPTS (for both server JVMs), BENCH_PROFILE=1 (a flight
 * recording of forwardauth, written to BENCH_DIR/forwardauth.jfr when it stops), BENCH_WAR, BENCH_DIR.
 */
public final class AuthorizeBench {
    static final String AUDIENCE = "https://api.example.com";
    static final String DEFAULT_JVM_OPTS = "-Xms64m -Xmx128m -XX:+UseSerialGC";
    private static final String HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Settings settings;
    private final Path dir;

    private AuthorizeBench(Settings settings) throws IOException {
        this.settings = settings;
        this.dir = Files.createDirectories(settings.dir());
    }

    record Settings(int warmUp, int duration, int connections, int threads, List<String> jvmOptions,
                    boolean profile, Path war, Path dir, List<String> only) {
        static Settings fromEnvironment(String[] args) {
            return new Settings(number("BENCH_WARMUP", 10), number("BENCH_DURATION", 30),
                    number("BENCH_CONNECTIONS", 16), number("BENCH_THREADS", 2),
                    Arrays.asList(env("FORWARDAUTH_JVM_OPTS", DEFAULT_JVM_OPTS).trim().split("\\s+")),
                    "1".equals(env("BENCH_PROFILE", "")),
                    Path.of(env("BENCH_WAR", "target/forwardauth.war")).toAbsolutePath(),
                    Path.of(env("BENCH_DIR", "target/bench")).toAbsolutePath(), List.of(args));
        }

        boolean wants(String key) {
            return only.isEmpty() || only.contains(key);
        }

        private static String env(String name, String fallback) {
            String value = System.getenv(name);
            return value == null || value.isBlank() ? fallback : value;
        }

        private static int number(String name, int fallback) {
            return Integer.parseInt(env(name, String.valueOf(fallback)));
        }
    }

    public static void main(String[] args) throws Exception {
        new AuthorizeBench(Settings.fromEnvironment(args)).run();
        System.exit(0); // mock-oauth2-server leaves non-daemon threads behind
    }

    private void run() throws Exception {
        MockOAuth2Server idp = new MockOAuth2Server();
        idp.start();
        warmUp(idp);
        int port = freePort();
        int barePort = freePort();
        Path config = Files.writeString(dir.resolve("forwardauth.json"), config(idp.issuerUrl("default").toString()));
        System.out.printf("machine: %d cores, load %s; %s%n", Runtime.getRuntime().availableProcessors(),
                load(), System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        System.out.printf("server JVM options: %s; wrk -t%d -c%d, %d s warm-up + %d s measured per case%n",
                String.join(" ", settings.jvmOptions()), settings.threads(), settings.connections(),
                settings.warmUp(), settings.duration());
        List<String> jar = List.of("-jar", settings.war().toString(), "--config", config.toString(),
                "--host", "127.0.0.1", "--port", String.valueOf(port));
        List<String> forwardauthOptions = new ArrayList<>(settings.jvmOptions());
        if (settings.profile()) {
            // JFR's "profile" settings: method samples every 10 ms, allocation samples; written on exit.
            forwardauthOptions.add("-XX:StartFlightRecording=settings=profile,filename=" + dir.resolve("forwardauth.jfr"));
        }
        try (ChildJvm forwardauth = ChildJvm.start("forwardauth", dir, forwardauthOptions, jar);
             ChildJvm bare = ChildJvm.start("bare-jetty", dir, settings.jvmOptions(), bareCommand(barePort))) {
            Duration startUp = forwardauth.awaitOk(URI.create("http://127.0.0.1:" + port + "/health"));
            bare.awaitOk(URI.create("http://127.0.0.1:" + barePort + "/"));
            List<BenchCase> cases = cases(idp, URI.create("http://127.0.0.1:" + port));
            ResultTable table = measure(cases, port, barePort);
            long[] rss = forwardauth.rssKib();
            table.print(System.out);
            System.out.printf("%nforwardauth (pid %d) after the run: VmRSS %d MiB, VmHWM (peak) %d MiB%n",
                    forwardauth.pid(), rss[0] / 1024, rss[1] / 1024);
            System.out.printf("forwardauth start-up, java -jar to the first 200 on /health: %d ms%n",
                    startUp.toMillis());
            System.out.printf("load after the run: %s%n", load());
        } finally {
            idp.shutdown();
        }
    }

    // The IdP's first answers load much of its code; on a busy machine they could pass forwardauth's 5 s read
    // timeout, and the login below would meet a 503.
    private static void warmUp(MockOAuth2Server idp) throws IOException, InterruptedException {
        for (String path : List.of(".well-known/openid-configuration", "jwks")) {
            HTTP.send(HttpRequest.newBuilder(URI.create(idp.issuerUrl("default") + "/" + path)).build(),
                    HttpResponse.BodyHandlers.discarding());
        }
    }

    private List<BenchCase> cases(MockOAuth2Server idp, URI forwardauth) throws Exception {
        String cookie = new BrowserLogin().login(forwardauth, idp, "https://" + BenchCase.HOST + "/reports/q1",
                new DefaultOAuth2TokenCallback("default", "alice", "JWT", List.of(AUDIENCE),
                        Map.of("name", "Alice", "email", "alice@example.com", "scope", "openid profile email"), 3600));
        String token = idp.issueToken("default", "forwardauth", new DefaultOAuth2TokenCallback("default", "robot",
                "JWT", List.of(AUDIENCE), Map.of("scope", "read:reports"), 3600)).serialize();
        Map<String, String> browser = BenchCase.traefik("/reports/q1?sort=desc", HTML);
        Map<String, String> api = BenchCase.traefik("/reports/q1?sort=desc", "application/json");
        Map<String, String> session = BenchCase.with(browser, "Cookie", cookie);
        List<BenchCase> all = List.of(
                new BenchCase("bare", "bare Jetty handler (ceiling)", true, "/", session, 200),
                new BenchCase("health", "forwardauth /health (servlet, no auth)", false, "/health", session, 200),
                new BenchCase("a", "(a) valid session cookie", false, "/authorize", session, 200),
                new BenchCase("b", "(b) valid bearer token", false, "/authorize",
                        BenchCase.with(api, "Authorization", "Bearer " + token), 200),
                new BenchCase("c", "(c) anonymous rule", false, "/authorize",
                        BenchCase.traefik("/public/logo.png", "image/avif,image/webp,*/*"), 200),
                new BenchCase("d", "(d) 403 missing scope", false, "/authorize",
                        BenchCase.with(BenchCase.traefik("/admin/users", HTML), "Cookie", cookie), 403),
                new BenchCase("e", "(e) no session -> 307", false, "/authorize", browser, 307));
        List<BenchCase> chosen = new ArrayList<>();
        for (BenchCase c : all) {
            if (settings.wants(c.key()) || c.bare()) {
                check(c, c.bare() ? null : forwardauth);
                chosen.add(c);
            }
        }
        return chosen;
    }

    /** One request before wrk: the case must answer what it claims, or its numbers mean nothing. */
    private static void check(BenchCase c, URI forwardauth) throws IOException, InterruptedException {
        if (forwardauth == null) {
            return;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(forwardauth.resolve(c.path()));
        c.headers().forEach(request::header);
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        boolean identity = response.headers().firstValue("X-Forwarded-User").isPresent();
        boolean wantsIdentity = c.key().equals("a") || c.key().equals("b");
        if (response.statusCode() != c.expectedStatus() || identity != wantsIdentity) {
            throw new IllegalStateException(c.label() + ": expected " + c.expectedStatus() + (wantsIdentity
                    ? " with X-Forwarded-User" : "") + ", got " + response.statusCode() + " " + response.headers().map()
                    + " " + response.body());
        }
    }

    /**
     * The bare handler before every case and once after the last, so each case is compared with the ceiling
     * measured right around it: on a machine shared with other work the load moves between runs.
     */
    private ResultTable measure(List<BenchCase> cases, int port, int barePort) throws Exception {
        Wrk wrk = new Wrk(settings.threads(), settings.connections(), dir);
        BenchCase bare = cases.get(0);
        List<Wrk.Result> bareRuns = new ArrayList<>();
        bareRuns.add(run(wrk, bare, barePort, settings.warmUp()));
        Map<BenchCase, Wrk.Result> results = new LinkedHashMap<>();
        for (BenchCase c : cases.subList(1, cases.size())) {
            results.put(c, run(wrk, c, port, settings.warmUp()));
            // The bare JVM is warm after its first run.
            bareRuns.add(run(wrk, bare, barePort, 0));
        }
        return new ResultTable(bare, bareRuns, results);
    }

    private Wrk.Result run(Wrk wrk, BenchCase c, int port, int warmUp) throws Exception {
        System.out.printf("  %s: %s ...%n", java.time.LocalTime.now().withNano(0), c.label());
        Wrk.Result result = wrk.run(c.key(), port, c.path(), c.headers(), warmUp, settings.duration());
        if (!c.statusCountsMatch(result) || result.socketErrors() > 0) {
            throw new IllegalStateException(c.label() + ": unexpected answers or socket errors: " + result);
        }
        return result;
    }

    private List<String> bareCommand(int port) {
        return List.of("-cp", System.getProperty("java.class.path"), BareJetty.class.getName(), String.valueOf(port));
    }

    static String config(String issuer) {
        return """
                {
                  "domain": "%s",
                  "session-secret": "bench-0123456789abcdef0123456789abcdef",
                  "apps": [{
                    "name": "%s",
                    "client-id": "forwardauth",
                    "client-secret": "secret",
                    "audience": "%s",
                    "redirect-uri": "https://%s/oauth2/signin",
                    "rules": [
                      {"path": "/public/**", "allow": "anonymous"},
                      {"path": "/admin/**", "required-scopes": ["admin:site"]}
                    ]
                  }]
                }
                """.formatted(issuer, BenchCase.HOST, AUDIENCE, BenchCase.HOST);
    }

    private static String load() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2] + " (1, 5, 15 min)";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
