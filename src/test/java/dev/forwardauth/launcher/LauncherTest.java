package dev.forwardauth.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's modes that end without serving; serving is covered by ExecutableWarIT. */
class LauncherTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Map<String, String> env = new HashMap<>();

    private int run(Path webapp, String... args) {
        Launcher launcher = new Launcher(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, name -> null, webapp, dir.resolve("work"),
                "1.2.3");
        return launcher.execute(List.of(args));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpGoesToStandardOutput() {
        assertEquals(0, run(dir, "--help"));
        assertEquals(CommandLine.USAGE, out());
        assertEquals("", err());
    }

    @Test
    void versionIsTheWarVersion() {
        assertEquals(0, run(dir, "--version"));
        assertEquals("forwardauth 1.2.3" + System.lineSeparator(), out());
    }

    @Test
    void mistakesPrintTheErrorThenTheUsage() {
        assertEquals(2, run(dir, "--config", "/c.json", "--verbose"));
        assertEquals("forwardauth: unknown option: --verbose" + System.lineSeparator() + System.lineSeparator()
                + CommandLine.USAGE, err());
        assertEquals("", out());
    }

    @Test
    void demoWithCheckConfigIsAUsageErrorAndStartsNothing() throws IOException {
        Path config = Files.writeString(dir.resolve("ok.json"), "{}\n");

        assertEquals(2, run(FakeWebapp.withConfigCheck(dir), "--check-config", "--demo", "--config", config.toString()));
        assertEquals("forwardauth: --demo cannot be combined with --check-config (to check a file, leave out --demo)"
                + System.lineSeparator() + System.lineSeparator() + CommandLine.USAGE, err());
        assertEquals("", out());
    }

    @Test
    void checkConfigRunsWhateverPortSays() throws IOException {
        Path webapp = FakeWebapp.withConfigCheck(dir);
        Path config = Files.writeString(dir.resolve("ok.json"), "{}\n");
        env.put("PORT", "abc");

        assertEquals(0, run(webapp, "--check-config", "--config", config.toString()));
        assertEquals("config OK: " + config + System.lineSeparator(), out());
    }

    @Test
    void demoIsNotInThisBuild() {
        assertEquals(2, run(dir, "--demo"));
        assertEquals("forwardauth: --demo is not available in this build" + System.lineSeparator(), err());
    }

    @Test
    void checkConfigPrintsOkForAValidFile() throws IOException {
        Path webapp = FakeWebapp.withConfigCheck(dir);
        Path config = Files.writeString(dir.resolve("ok.json"), "{}\n");

        assertEquals(0, run(webapp, "--check-config", "--config", config.toString()));
        assertEquals("config OK: " + config + System.lineSeparator(), out());
        assertEquals("", err());
    }

    @Test
    void checkConfigPrintsEveryProblemOnItsOwnLine() throws IOException {
        Path webapp = FakeWebapp.withConfigCheck(dir);
        Path config = Files.writeString(dir.resolve("bad.json"),
                "problem: apps[1].audience: required\nproblem: session-secret: at least 32 characters\n");
        env.put("FORWARDAUTH_CONFIG", config.toString());

        assertEquals(2, run(webapp, "--check-config"));
        assertEquals("apps[1].audience: required" + System.lineSeparator()
                + "session-secret: at least 32 characters" + System.lineSeparator(), err());
        assertEquals("", out());
    }

    @Test
    void startWithAnInvalidFileStopsBeforeTheServer() throws IOException {
        Path webapp = FakeWebapp.withConfigCheck(dir);
        Path config = Files.writeString(dir.resolve("bad.json"), "problem: domain: required\n");

        assertEquals(2, run(webapp, "--config", config.toString(), "--port", "0"));
        assertEquals("domain: required" + System.lineSeparator(), err());
        assertEquals("", out());
    }

    @Test
    void aWarWithoutTheCheckIsAnInternalError() throws IOException {
        Path config = Files.writeString(dir.resolve("ok.json"), "{}\n");

        assertEquals(1, run(dir, "--check-config", "--config", config.toString()));
        assertTrue(err().startsWith("forwardauth: this WAR has no usable dev.forwardauth.config.ConfigCheck"
                + ".problems(String); is it a complete forwardauth build?"), err());
    }
}
