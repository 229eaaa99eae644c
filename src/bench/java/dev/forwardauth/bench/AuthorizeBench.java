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
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import no.nav.security.mock.oauth2.MockOAuth2Server;

/**
 * The /authorize benchmark (docs/performance.md), run by {@code bash src/bench/run}: forwardauth from
 * target/forwardauth.war as a child JVM against an in-process mock-oauth2-server, one real login for a session
 * cookie, a token minted for the bearer case, and a bare Jetty handler in a JVM with the same options as the
 * ceiling. Each case is driven by wrk over loopback, measured once the JIT's compile queues are empty after its
 * warm-up ({@link ChildJvm#awaitJitIdle}), and printed as a row of one table; then forwardauth's
 * memory, before and after the many-users cases, and its start-up time.
 *
 * <p>Arguments: the case keys to run (default all: health, a to g), or {@code ops} alone: the cost of metrics and
 * the decision log, on against off, in interleaved rounds ({@link OpsCost}), or {@code startup} alone: the time
 * from {@code java -jar} to the first 200 on /health, BENCH_STARTS times ({@link StartupTime}). Environment: BENCH_WARMUP and
 * BENCH_DURATION (seconds), BENCH_CONNECTIONS, BENCH_THREADS, BENCH_TOKENS and BENCH_SESSIONS (users of (f)
 * and (g)), FORWARDAUTH_JVM_OPTS (for both server JVMs), BENCH_PROFILE=1 (a flight recording of forwardauth,
 * written to BENCH_DIR/forwardauth.jfr when it stops), BENCH_OPS=off (no metrics, no decision log), BENCH_WAR,
 * BENCH_DIR, BENCH_ROUNDS (of the {@code ops} comparison, see {@link OpsCost}), BENCH_STARTS,
 * BENCH_STARTUP_OPTS and BENCH_COMPARE_WAR (of {@code startup}, see {@link StartupTime}).
 */
public final class AuthorizeBench {
    static final String DEFAULT_JVM_OPTS = "-Xms64m -Xmx128m -XX:+UseSerialGC";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Settings settings;
    private final Path dir;

    private AuthorizeBench(Settings settings) throws IOException {
        this.settings = settings;
        this.dir = Files.createDirectories(settings.dir());
    }

    record Settings(int warmUp, int duration, int connections, int threads, int tokens, int sessions,
                    List<String> jvmOptions, boolean profile, Path war, Path dir, List<String> only) {
        static Settings fromEnvironment(String[] args) {
            return new Settings(number("BENCH_WARMUP", 10), number("BENCH_DURATION", 30),
                    number("BENCH_CONNECTIONS", 16), number("BENCH_THREADS", 2),
                    number("BENCH_TOKENS", 12_000), number("BENCH_SESSIONS", 2_500),
                    Arrays.asList(env("FORWARDAUTH_JVM_OPTS", DEFAULT_JVM_OPTS).trim().split("\\s+")),
                    "1".equals(env("BENCH_PROFILE", "")),
                    Path.of(env("BENCH_WAR", "target/forwardauth.war")).toAbsolutePath(),
                    Path.of(env("BENCH_DIR", "target/bench")).toAbsolutePath(), List.of(args));
        }

        Settings only(List<String> keys) {
            return new Settings(warmUp, duration, connections, threads, tokens, sessions, jvmOptions, profile, war,
                    dir, keys);
        }

        boolean wants(String key) {
            return only.isEmpty() || only.contains(key);
        }

        private static String env(String name, String fallback) {
            String value = System.getenv(name);
            return value == null || value.isBlank() ? fallback : value;
        }

        static int number(String name, int fallback) {
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
        System.out.printf("machine: %d cores, load %s; %s%n", Runtime.getRuntime().availableProcessors(),
                load(), System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        if (settings.only().equals(List.of("startup"))) {
            try {
                List<Path> wars = new ArrayList<>(List.of(settings.war()));
                String compare = System.getenv("BENCH_COMPARE_WAR");
                if (compare != null && !compare.isBlank()) {
                    wars.add(Path.of(compare).toAbsolutePath());
                }
                String options = System.getenv().getOrDefault("BENCH_STARTUP_OPTS", "").trim();
                new StartupTime(dir, Settings.number("BENCH_STARTS", 10),
                        options.isEmpty() ? List.of() : Arrays.asList(options.split("\\s+")))
                        .run(idp.issuerUrl("default").toString(), wars);
                System.out.printf("load after the run: %s%n", load());
            } finally {
                idp.shutdown();
            }
            return;
        }
        if (settings.only().equals(List.of("ops"))) {
            try {
                new OpsCost(settings, dir, Settings.number("BENCH_ROUNDS", 6))
                        .run(idp, idp.issuerUrl("default").toString(), port, barePort);
                System.out.printf("load after the run: %s%n", load());
            } finally {
                idp.shutdown();
            }
            return;
        }
        boolean ops = !"off".equals(System.getenv("BENCH_OPS"));
        Path config = Files.writeString(dir.resolve("forwardauth.json"), config(idp.issuerUrl("default").toString(),
                ops));
        System.out.printf("metrics and decision log: %s%n", ops ? "on (the defaults)" : "off (BENCH_OPS=off)");
        System.out.printf("server JVM options: %s; wrk -t%d -c%d, %d s warm-up + %d s measured per case%n",
                String.join(" ", settings.jvmOptions()), settings.threads(), settings.connections(),
                settings.warmUp(), settings.duration());
        try (ChildJvm forwardauth = ChildJvm.start("forwardauth", dir, forwardauthOptions(), List.of("-jar",
                settings.war().toString(), "--config", config.toString(), "--host", "127.0.0.1", "--port",
                String.valueOf(port)));
             ChildJvm bareJetty = ChildJvm.start("bare-jetty", dir, settings.jvmOptions(), bareCommand(barePort))) {
            Duration startUp = forwardauth.awaitOk(URI.create("http://127.0.0.1:" + port + "/health"));
            bareJetty.awaitOk(URI.create("http://127.0.0.1:" + barePort + "/"));
            BenchCases cases = new BenchCases(idp, URI.create("http://127.0.0.1:" + port));
            Wrk wrk = new Wrk(settings.threads(), settings.connections(), dir);
            ResultTable table = new ResultTable();
            List<BenchCase> core = cases.core(settings);
            BenchCase bare = core.get(0);
            measure(wrk, table, bare, core.subList(1, core.size()), forwardauth, port, bareJetty, barePort);
            String afterCore = forwardauth.memory();
            List<BenchCase> many = cases.manyUsers(settings);
            if (!many.isEmpty()) {
                measure(wrk, table, bare, many, forwardauth, port, bareJetty, barePort);
            }
            table.print(System.out);
            System.out.printf("%nforwardauth memory (pid %d), JVM options as above:%n", forwardauth.pid());
            System.out.printf("  after the cases above the many-users ones: %s%n", afterCore);
            if (!many.isEmpty()) {
                System.out.printf("  after the many-users cases:                %s%n", forwardauth.memory());
            }
            System.out.printf("forwardauth start-up, java -jar to the first 200 on /health: %d ms%n",
                    startUp.toMillis());
            System.out.printf("load after the run: %s%n", load());
        } finally {
            idp.shutdown();
        }
    }

    private List<String> forwardauthOptions() {
        List<String> options = new ArrayList<>(settings.jvmOptions());
        if (settings.profile()) {
            // JFR's "profile" settings: method samples every 10 ms, allocation samples; written on exit.
            options.add("-XX:StartFlightRecording=settings=profile,filename=" + dir.resolve("forwardauth.jfr"));
        }
        return options;
    }

    // The IdP's first answers load much of its code; on a busy machine they could pass forwardauth's 5 s read
    // timeout, and the login below would meet a 503.
    private static void warmUp(MockOAuth2Server idp) throws IOException, InterruptedException {
        for (String path : List.of(".well-known/openid-configuration", "jwks")) {
            HTTP.send(HttpRequest.newBuilder(URI.create(idp.issuerUrl("default") + "/" + path)).build(),
                    HttpResponse.BodyHandlers.discarding());
        }
    }

    /**
     * Each case right after a run of the bare handler, and the bare handler once more after the last, so each
     * case is compared with the ceiling measured right around it: on a machine shared with other work the load
     * moves between runs.
     */
    private void measure(Wrk wrk, ResultTable table, BenchCase bare, List<BenchCase> cases, ChildJvm forwardauth,
                         int port, ChildJvm bareJetty, int barePort) throws Exception {
        // The bare JVM needs its warm-up once.
        Wrk.Result before = run(wrk, bare, bareJetty, barePort, table.isEmpty() ? settings.warmUp() : 0);
        table.bare(bare, before);
        for (BenchCase c : cases) {
            Wrk.Result result = run(wrk, c, forwardauth, port, settings.warmUp());
            Wrk.Result after = run(wrk, bare, bareJetty, barePort, 0);
            table.row(c, result, before, after);
            table.bare(bare, after);
            before = after;
        }
    }

    private Wrk.Result run(Wrk wrk, BenchCase c, ChildJvm server, int port, int warmUp) throws Exception {
        System.out.printf("  %s: %s ...%n", LocalTime.now().withNano(0), c.label());
        Wrk.Result result = wrk.run(c, port, warmUp, settings.duration(), server::awaitJitIdle);
        if (!c.statusCountsMatch(result) || result.socketErrors() > 0) {
            throw new IllegalStateException(c.label() + ": unexpected answers or socket errors: " + result);
        }
        return result;
    }

    private List<String> bareCommand(int port) {
        return List.of("-cp", System.getProperty("java.class.path"), BareJetty.class.getName(), String.valueOf(port));
    }

    static String config(String issuer, boolean ops) {
        return """
                {
                  "domain": "%s",
                  "session-secret": "bench-0123456789abcdef0123456789abcdef",%s
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
                """.formatted(issuer, ops ? "" : "\n  \"metrics\": false,\n  \"decision-log\": \"off\",", BenchCase.HOST, BenchCases.AUDIENCE, BenchCase.HOST);
    }

    private static String load() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2] + " (1, 5, 15 min)";
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
