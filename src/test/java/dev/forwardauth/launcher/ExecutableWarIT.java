package dev.forwardauth.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The packaged WAR, run as {@code java -jar target/forwardauth.war}: SPEC section 2, to the letter. */
class ExecutableWarIT {
    /** SPEC section 3's minimal valid configuration. */
    static final String VALID_CONFIG = """
            {"domain": "https://example.eu.auth0.com/",
             "session-secret": "0123456789abcdef0123456789abcdef",
             "default": {"client-id": "id", "client-secret": "s", "audience": "https://api.example.com",
                         "redirect-uri": "https://auth.example.com/oauth2/signin"}}
            """;
    /** Two problems: an unknown key and a session secret under 32 characters. */
    static final String INVALID_CONFIG = """
            {"domain": "https://example.eu.auth0.com/",
             "session-secret": "too short",
             "colour": "blue",
             "default": {"client-id": "id", "client-secret": "s", "audience": "https://api.example.com",
                         "redirect-uri": "https://auth.example.com/oauth2/signin"}}
            """;
    static final String VERSION = System.getProperty("forwardauth.version");
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    static Path validConfig;
    static Path invalidConfig;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One server for the read-only checks, started by the first that needs it: every start costs a JVM. */
    private static WarProcess server;
    private static int port;

    @BeforeAll
    static void writeConfigs() throws IOException {
        validConfig = Files.writeString(dir.resolve("forwardauth.json"), VALID_CONFIG);
        invalidConfig = Files.writeString(dir.resolve("invalid.json"), INVALID_CONFIG);
    }

    private static synchronized WarProcess server() throws Exception {
        if (server == null) {
            Path serverDir = Files.createDirectory(dir.resolve("server"));
            port = freePort();
            long started = System.nanoTime();
            server = WarProcess.start(serverDir, Map.of(), List.of(), "--config", validConfig.toString(),
                    "--port", String.valueOf(port), "--host", "127.0.0.1");
            awaitHealthy(server, port);
            System.out.printf("java -jar to the first 200 from /health: %d ms%n",
                    (System.nanoTime() - started) / 1_000_000);
        }
        return server;
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void healthAnswersUp() throws Exception {
        HttpResponse<String> response = get("/health");

        assertEquals(200, response.statusCode());
        assertEquals("{\"status\":\"UP\"}", response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        assertTrue(response.headers().firstValue("Server").isEmpty(), "the server version stays private");
    }

    @Test
    void printsOneLineWithVersionAddressAndConfig() throws Exception {
        String stdout = server().stdout();
        assertEquals("forwardauth " + VERSION + " listening on http://127.0.0.1:" + port + "/ (config: "
                + validConfig.toAbsolutePath() + ")", stdout.strip());
    }

    @Test
    void noSlf4jWarnings() throws Exception {
        String stderr = server().stderr();
        assertFalse(stderr.lines().anyMatch(line -> line.startsWith("SLF4J")), stderr);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/health/", "/healthz", "/HEALTH", "/health.json", "/", "/index.html", "/x.jsp"})
    void nothingElseAnswers(String path) throws Exception {
        assertEquals(404, get(path).statusCode());
    }

    @ParameterizedTest
    @MethodSource("privatePaths")
    void packagingIsNeverServed(String path) throws Exception {
        HttpResponse<String> response = get(path);

        assertTrue(Set.of(400, 403, 404).contains(response.statusCode()), path + " -> " + response.statusCode());
        assertFalse(response.body().contains("<web-app"), response.body());
    }

    static Stream<String> privatePaths() throws IOException {
        String launcherJar;
        try (JarFile war = new JarFile(WarProcess.WAR.toFile())) {
            launcherJar = war.stream().map(e -> e.getName())
                    .filter(name -> name.startsWith("WEB-INF/launcher/lib/") && name.endsWith(".jar"))
                    .findFirst().orElseThrow();
        }
        return Stream.of("/WEB-INF/web.xml", "/WEB-INF/", "/WEB-INF/launcher/lib/", "/" + launcherJar,
                "/WEB-INF/launcher/classes/dev/forwardauth/launcher/Launcher.class",
                "/WEB-INF/classes/dev/forwardauth/web/HealthServlet.class",
                "/WEB-INF/lib/forwardauth-" + System.getProperty("forwardauth.version") + ".jar",
                "/dev/forwardauth/boot/Main.class", "/dev/", "/META-INF/MANIFEST.MF",
                "/META-INF/maven/dev.forwardauth/forwardauth/pom.xml",
                "/WEB-INF/./web.xml", "/x/../WEB-INF/web.xml", "/%57EB-INF/web.xml", "/web-inf/web.xml",
                "//WEB-INF/web.xml", "/dev//forwardauth/boot/Main.class", "/dev/forwardauth/boot/Main.class;x=y",
                "/%2e%2e/WEB-INF/web.xml", "/WEB-INF%2fweb.xml");
    }

    @Test
    void traceIsRefused() throws Exception {
        server();
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(url("/health"))
                .method("TRACE", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(405, response.statusCode());
    }

    @Test
    void stopsGracefullyOnSigtermAndLeavesNoFilesBehind() throws Exception {
        Path tmp = Files.createDirectory(dir.resolve("sigterm"));
        int ownPort = freePort();
        try (WarProcess war = WarProcess.start(tmp, Map.of("PORT", String.valueOf(ownPort),
                "FORWARDAUTH_CONFIG", validConfig.toString()), List.of(), "--host", "127.0.0.1")) {
            awaitHealthy(war, ownPort);
            List<Path> unpacked = unpackDirectories(tmp);
            assertEquals(1, unpacked.size(), unpacked.toString());
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(unpacked.get(0))));

            war.terminate();

            assertEquals(128 + 15, war.awaitExit(Duration.ofSeconds(20)), war.stderr());
            assertEquals(List.of(), unpackDirectories(tmp));
        }
    }

    @Test
    void helpExitsZero() {
        WarProcess war = WarProcess.run(dir, "--help");

        assertEquals(0, war.exitCode());
        assertTrue(war.stdout().startsWith("Usage: java -jar forwardauth.war --config FILE [--port N] [--host ADDR]"),
                war.stdout());
    }

    @Test
    void versionIsTheProjectVersion() {
        WarProcess war = WarProcess.run(dir, "--version");

        assertEquals(0, war.exitCode());
        assertEquals("forwardauth " + VERSION, war.stdout().strip());
    }

    @Test
    void anUnknownFlagIsNamedWithTheUsage() {
        WarProcess war = WarProcess.run(dir, "--config", validConfig.toString(), "--bogus");

        assertEquals(2, war.exitCode());
        assertTrue(war.stderr().startsWith("forwardauth: unknown option: --bogus"), war.stderr());
        assertTrue(war.stderr().contains("Usage: java -jar forwardauth.war"), war.stderr());
    }

    @Test
    void anInvalidPortIsNamed() {
        WarProcess war = WarProcess.run(dir, "--config", validConfig.toString(), "--port", "http");

        assertEquals(2, war.exitCode());
        assertTrue(war.stderr().startsWith("forwardauth: --port: not a port number"), war.stderr());
    }

    @Test
    void noConfigNamesTheThreeWays() {
        WarProcess war = WarProcess.run(dir);

        assertEquals(2, war.exitCode());
        String firstLine = war.stderr().lines().findFirst().orElse("");
        assertTrue(firstLine.contains("--config") && firstLine.contains("FORWARDAUTH_CONFIG")
                && firstLine.contains("forwardauth.config"), firstLine);
    }

    @Test
    void checkConfigAcceptsAValidFile() {
        WarProcess war = WarProcess.run(dir, "--check-config", "--config", validConfig.toString());

        assertEquals(0, war.exitCode(), war.stderr());
        assertEquals("config OK: " + validConfig.toAbsolutePath(), war.stdout().strip());
    }

    @Test
    void checkConfigFindsTheFileThroughTheEnvironment() {
        WarProcess war = WarProcess.run(dir, Map.of("FORWARDAUTH_CONFIG", validConfig.toString()), List.of(),
                "--check-config");

        assertEquals(0, war.exitCode(), war.stderr());
        assertEquals("config OK: " + validConfig.toAbsolutePath(), war.stdout().strip());
    }

    @Test
    void checkConfigFindsTheFileThroughASystemProperty() {
        WarProcess war = WarProcess.run(dir, Map.of(), List.of("-Dforwardauth.config=" + validConfig),
                "--check-config");

        assertEquals(0, war.exitCode(), war.stderr());
        assertEquals("config OK: " + validConfig.toAbsolutePath(), war.stdout().strip());
    }

    @Test
    void checkConfigPrintsEveryProblemOnItsOwnLine() {
        WarProcess war = WarProcess.run(dir, "--check-config", "--config", invalidConfig.toString());

        assertEquals(2, war.exitCode(), war.stderr());
        assertProblemLines(war.stderr());
        assertEquals("", war.stdout());
    }

    @Test
    void checkConfigRejectsAMissingFile() {
        WarProcess war = WarProcess.run(dir, "--check-config", "--config", dir.resolve("missing.json").toString());

        assertEquals(2, war.exitCode(), war.stderr());
        assertEquals("", war.stdout());
    }

    @Test
    void checkConfigWithDemoIsAUsageErrorAndStartsNoDemo() {
        WarProcess war = WarProcess.run(dir, "--check-config", "--demo", "--config", validConfig.toString());

        assertEquals(2, war.exitCode(), war.stderr());
        assertTrue(war.stderr().startsWith("forwardauth: --demo cannot be combined with --check-config"), war.stderr());
        assertTrue(war.stderr().contains("Usage: java -jar forwardauth.war"), war.stderr());
        assertEquals("", war.stdout());
    }

    @Test
    void checkConfigIgnoresAPortVariableItHasNoUseFor() {
        WarProcess war = WarProcess.run(dir, Map.of("PORT", "abc"), List.of(), "--check-config", "--config",
                validConfig.toString());

        assertEquals(0, war.exitCode(), war.stderr());
        assertEquals("config OK: " + validConfig.toAbsolutePath(), war.stdout().strip());
    }

    @Test
    void checkConfigRefusesADeviceAtOnceWithExitTwo() {
        assertTrue(Files.exists(Path.of("/dev/zero")), "no /dev/zero here");
        long started = System.nanoTime();
        WarProcess war = WarProcess.run(dir, "--check-config", "--config", "/dev/zero");

        assertEquals(2, war.exitCode(), war.stderr());
        assertEquals("/dev/zero: cannot read the file (it is not a regular file)", war.stderr().strip());
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(15).toNanos(), "it read the device");
    }

    @Test
    void checkConfigRefusesAFifoWithoutWaitingForAWriter() throws Exception {
        Path fifo = dir.resolve("config.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
        assertTrue(mkfifo.waitFor() == 0, "mkfifo is not available here");
        WarProcess war = WarProcess.run(dir, "--check-config", "--config", fifo.toString());

        assertEquals(2, war.exitCode(), war.stderr());
        assertEquals(fifo.toAbsolutePath() + ": cannot read the file (it is not a regular file)", war.stderr().strip());
    }

    @Test
    void anInvalidConfigStopsTheStartBeforeThePortOpens() throws Exception {
        int ownPort = freePort();
        boolean everAccepted = false;
        try (WarProcess war = WarProcess.start(dir, Map.of(), List.of(), "--config", invalidConfig.toString(),
                "--port", String.valueOf(ownPort), "--host", "127.0.0.1")) {
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (war.isAlive() && System.nanoTime() < deadline) {
                everAccepted |= accepts(ownPort);
                Thread.sleep(20);
            }
            assertEquals(2, war.awaitExit(Duration.ofSeconds(5)), war.stderr());
            assertFalse(everAccepted, "the port accepted a connection");
            assertProblemLines(war.stderr());
            assertFalse(war.stdout().contains("listening"), war.stdout());
        }
    }

    @Test
    void aBusyPortFailsTheStartWithExitTwo() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            WarProcess war = WarProcess.run(dir, "--config", validConfig.toString(), "--port",
                    String.valueOf(busy.getLocalPort()), "--host", "127.0.0.1");

            assertEquals(2, war.exitCode(), war.stderr());
            assertTrue(war.stderr().contains("forwardauth: start-up failed: "), war.stderr());
            assertFalse(war.stdout().contains("listening"), war.stdout());
        }
    }

    /** The exact wording is ConfigCheck's; each problem names its JSON path on a line of its own. */
    private static void assertProblemLines(String stderr) {
        List<String> lines = stderr.lines().filter(line -> !line.isBlank()).toList();
        String colour = lines.stream().filter(line -> line.contains("colour")).findFirst().orElse(null);
        String secret = lines.stream().filter(line -> line.contains("session-secret")).findFirst().orElse(null);
        assertTrue(colour != null && secret != null, stderr);
        assertNotEquals(colour, secret, stderr);
    }

    private static List<Path> unpackDirectories(Path tmp) throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(p -> p.getFileName().toString().startsWith("forwardauth-")).toList();
        }
    }

    private static void awaitHealthy(WarProcess war, int port) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!war.isAlive()) {
                fail("exited with " + war.exitCode() + ":\n" + war.stderr());
            }
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(10);
        }
        fail("no 200 from /health within " + START_TIMEOUT + ":\n" + war.stderr());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        server();
        return HTTP.send(HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
