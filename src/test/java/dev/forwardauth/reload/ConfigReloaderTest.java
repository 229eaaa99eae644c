package dev.forwardauth.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forwardauth.config.ConfigCheck;
import dev.forwardauth.config.ConfigFileBytes;
import dev.forwardauth.config.ConfigLoader;
import dev.forwardauth.config.ForwardAuthConfig;
import dev.forwardauth.security.ForwardAuthSecurity;
import dev.forwardauth.security.token.Telemetry;
import dev.forwardauth.security.LiveSecurity;
import dev.forwardauth.security.token.HttpTimeouts;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One reload at a time, called directly (no watcher, no thread): what is swapped in, what is refused, and what
 * the operator reads in the log. The identity provider is a closed loopback port, so preparing a new
 * configuration fails fast the way it does when the IdP is down, which must not stop a reload.
 */
class ConfigReloaderTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final HttpTimeouts TIMEOUTS = new HttpTimeouts(Duration.ofMillis(500), Duration.ofMillis(500));
    private static String idp;
    private static String otherIdp;

    @TempDir
    Path dir;
    private Path file;
    private LiveSecurity live;
    private ForwardAuthSecurity initial;
    private ConfigReloader reloader;
    private LogCapture log;
    private final AtomicBoolean builderFails = new AtomicBoolean();

    @BeforeAll
    static void closedPorts() throws Exception {
        idp = "http://127.0.0.1:" + closedPort() + "/";
        otherIdp = "http://127.0.0.1:" + closedPort() + "/other/";
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static String config(String domain, String secret, String internalAccess) {
        return """
                {"domain": "%s",
                 "session-secret": "%s",
                 "default": {"client-id": "id", "client-secret": "s", "audience": "https://api.example.com",
                             "redirect-uri": "https://auth.example.com/oauth2/signin",
                             "rules": [{"path": "/internal/**", "allow": "%s"}]}}
                """.formatted(domain, secret, internalAccess);
    }

    @BeforeEach
    void start() throws Exception {
        file = Files.writeString(dir.resolve("forwardauth.json"), config(idp, SECRET, "authenticated"));
        initial = build(ConfigLoader.load(file, Map.of()), null);
        live = new LiveSecurity(initial);
        log = LogCapture.of(ConfigReloader.class.getName());
        reloader = new ConfigReloader(file, Map.of(), live, (config, previous) -> {
            if (builderFails.get()) {
                throw new IllegalStateException("cannot build");
            }
            return build(config, previous);
        });
    }

    @AfterEach
    void stop() {
        reloader.close();
        log.close();
    }

    private static ForwardAuthSecurity build(ForwardAuthConfig config, ForwardAuthSecurity previous) {
        Clock clock = Clock.systemUTC();
        return new ForwardAuthSecurity(config,
                ForwardAuthSecurity.identityProvider(config, clock, previous, Telemetry.NONE),
                ForwardAuthSecurity.timeouts(config), null, clock, Telemetry.NONE);
    }

    private String accessTo(String path) {
        return live.current().appFor("app.example.com").orElseThrow().policy().requirementFor("GET", path).access()
                .toString();
    }

    @Test
    void aChangedRuleIsServedAfterTheReloadWithTheSameIdentityProvider() throws Exception {
        assertEquals("AUTHENTICATED", accessTo("/internal/x"));

        Files.writeString(file, config(idp, SECRET, "deny"));
        reloader.reload(ConfigReloader.Trigger.FILE);

        assertEquals("DENY", accessTo("/internal/x"));
        assertSame(initial.idp(), live.current().idp(), "the discovered identity provider is kept");
        assertTrue(log.messages(Level.INFO).stream()
                .anyMatch(message -> message.startsWith("config " + file + " reloaded (the file changed)")),
                log.messages().toString());
    }

    @Test
    void anotherDomainGetsItsOwnIdentityProvider() throws Exception {
        Files.writeString(file, config(otherIdp, SECRET, "authenticated"));
        reloader.reload(ConfigReloader.Trigger.FILE);

        assertEquals(otherIdp, live.current().config().domain().toString());
        assertNotSame(initial.idp(), live.current().idp());
    }

    @Test
    void anInvalidFileIsRefusedWithTheLinesOfCheckConfigAndTheRunningConfigStays() throws Exception {
        Files.writeString(file, config(idp, "too short", "sometimes")
                .replace("\"default\"", "\"colour\": 1, \"default\""));
        List<String> checkConfig = ConfigCheck.problems(file.toString());
        assertEquals(3, checkConfig.size(), checkConfig.toString());

        reloader.reload(ConfigReloader.Trigger.FILE);

        assertSame(initial, live.current());
        assertEquals(checkConfig.stream().map(problem -> "config: " + problem).toList(), log.messages(Level.SEVERE));
        assertEquals(List.of("config " + file + " not reloaded (the file changed): 3 problem(s); still serving the"
                + " configuration in use"), log.messages(Level.WARNING));

        log.clear();
        reloader.reload(ConfigReloader.Trigger.FILE);
        assertEquals(List.of(), log.messages(), "the same invalid file is reported once");
    }

    @Test
    void aFileThatIsGoneIsRefusedLikeCheckConfigRefusesIt() throws Exception {
        Files.delete(file);

        reloader.reload(ConfigReloader.Trigger.FILE);

        assertSame(initial, live.current());
        assertEquals(List.of("config: " + file + ": cannot read the file (it does not exist)"),
                log.messages(Level.SEVERE));
    }

    @Test
    void aFifoInPlaceOfTheFileIsRefusedWithoutBlockingTheReload() throws Exception {
        Files.delete(file);
        Process mkfifo = new ProcessBuilder("mkfifo", file.toString()).redirectErrorStream(true).start();
        assertTrue(mkfifo.waitFor() == 0, "mkfifo is not available here");

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> reloader.reload(ConfigReloader.Trigger.FILE));

        assertSame(initial, live.current());
        assertEquals(List.of("config: " + file + ": cannot read the file (it is not a regular file)"),
                log.messages(Level.SEVERE));
    }

    @Test
    void aDeviceInPlaceOfTheFileIsRefusedWithoutReadingIt() throws Exception {
        Path zero = Path.of("/dev/zero");
        assertTrue(Files.exists(zero), "no /dev/zero here");
        Files.delete(file);
        Files.createSymbolicLink(file, zero);

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> reloader.reload(ConfigReloader.Trigger.SIGHUP));

        assertSame(initial, live.current());
        assertEquals(List.of("config: " + file + ": cannot read the file (it is not a regular file)"),
                log.messages(Level.SEVERE));
    }

    @Test
    void aFileGrownBeyondTheLimitIsRefusedLikeCheckConfigRefusesIt() throws Exception {
        Files.writeString(file, config(idp, SECRET, "deny") + " ".repeat(ConfigFileBytes.MAX_SIZE));

        reloader.reload(ConfigReloader.Trigger.FILE);

        assertSame(initial, live.current());
        assertEquals(List.of("config: " + file + ": cannot read the file (it is larger than 1 MiB)"),
                log.messages(Level.SEVERE));
    }

    @Test
    void aFileWhoseContentDidNotChangeIsNotReadAgain() {
        reloader.reload(ConfigReloader.Trigger.FILE);

        assertSame(initial, live.current());
        assertEquals(List.of(), log.messages());
    }

    @Test
    void theSameConfigurationWrittenDifferentlyChangesNothing() throws Exception {
        Files.writeString(file, config(idp, SECRET, "authenticated").replace(", ", ",\n    "));

        reloader.reload(ConfigReloader.Trigger.FILE);

        assertSame(initial, live.current());
        assertEquals(List.of("config " + file + " read (the file changed): the configuration is the same, nothing"
                + " to change"), log.messages());
    }

    @Test
    void sighupReadsTheFileEvenWhenItsContentIsKnown() throws Exception {
        Files.writeString(file, config(idp, SECRET, "deny"));
        reloader.reload(ConfigReloader.Trigger.FILE);
        ForwardAuthSecurity afterChange = live.current();
        log.clear();

        reloader.reload(ConfigReloader.Trigger.SIGHUP);

        assertSame(afterChange, live.current());
        assertEquals(List.of("config " + file + " read (SIGHUP): the configuration is the same, nothing to change"),
                log.messages());
    }

    @Test
    void aConfigurationThatCannotBeBuiltIsNeverSwappedIn() throws Exception {
        builderFails.set(true);
        Files.writeString(file, config(idp, SECRET, "deny"));

        reloader.reload(ConfigReloader.Trigger.FILE);

        assertSame(initial, live.current());
        assertEquals(List.of("config " + file + " not reloaded (the file changed): building it failed"
                + " (java.lang.IllegalStateException: cannot build); still serving the configuration in use"),
                log.messages(Level.SEVERE));
    }

    @Test
    void aChangeToMetricsOrTheDecisionLogIsSaidToWaitForTheNextStart() throws Exception {
        Files.writeString(file, config(idp, SECRET, "deny").replaceFirst("\\{", "{\"metrics\": false, "));

        reloader.reload(ConfigReloader.Trigger.FILE);

        assertNotSame(initial, live.current());
        assertTrue(log.messages(Level.WARNING).contains("config reload: metrics and decision-log are read at start-up"
                + " only; their change takes effect at the next start"), log.messages().toString());
    }

    @Test
    void aChangedSessionSecretIsSaidToEndEverySession() throws Exception {
        Files.writeString(file, config(idp, "fedcba9876543210fedcba9876543210", "authenticated"));

        reloader.reload(ConfigReloader.Trigger.FILE);

        assertNotSame(initial, live.current());
        assertTrue(log.messages(Level.WARNING).contains("config reload: session-secret changed; every session and"
                + " every sign-in under way is void, users sign in again"), log.messages().toString());
    }
}
