package dev.forwardauth.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.forwardauth.launcher.CommandLine.Mode;
import dev.forwardauth.launcher.CommandLine.Options;
import dev.forwardauth.launcher.CommandLine.UsageException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandLineTest {
    private final Map<String, String> env = new HashMap<>();
    private final Map<String, String> properties = new HashMap<>();

    private Options parse(String... args) throws UsageException {
        return CommandLine.parse(List.of(args), env, properties::get);
    }

    private String error(String... args) {
        return assertThrows(UsageException.class, () -> parse(args)).getMessage();
    }

    @Test
    void configOptionWinsOverEnvironmentAndSystemProperty() throws UsageException {
        env.put("FORWARDAUTH_CONFIG", "/etc/env.json");
        properties.put("forwardauth.config", "/etc/property.json");

        assertEquals(Path.of("/etc/option.json"), parse("--config", "/etc/option.json").config());
    }

    @Test
    void environmentWinsOverSystemProperty() throws UsageException {
        env.put("FORWARDAUTH_CONFIG", "/etc/env.json");
        properties.put("forwardauth.config", "/etc/property.json");

        assertEquals(Path.of("/etc/env.json"), parse().config());
    }

    @Test
    void systemPropertyIsTheLastResort() throws UsageException {
        env.put("FORWARDAUTH_CONFIG", " ");
        properties.put("forwardauth.config", "/etc/property.json");

        assertEquals(Path.of("/etc/property.json"), parse().config());
    }

    @Test
    void relativeConfigBecomesAbsolute() throws UsageException {
        assertEquals(Path.of("conf/../forwardauth.json").toAbsolutePath().normalize(),
                parse("--config=conf/../forwardauth.json").config());
    }

    @Test
    void noConfigNamesAllThreeWays() {
        assertEquals("no configuration file given: use --config FILE, the environment variable FORWARDAUTH_CONFIG"
                + " or the system property forwardauth.config", error("--port", "9000"));
    }

    @Test
    void serveIsTheDefaultOnPort8080OnAllInterfaces() throws UsageException {
        Options options = parse("--config", "/c.json");

        assertEquals(Mode.SERVE, options.mode());
        assertEquals(8080, options.port());
        assertNull(options.host());
    }

    @Test
    void portOptionWinsOverPortEnvironment() throws UsageException {
        env.put("PORT", "9001");

        assertEquals(9002, parse("--config", "/c.json", "--port", "9002").port());
        assertEquals(9001, parse("--config", "/c.json").port());
    }

    @Test
    void hostAndCheckConfig() throws UsageException {
        Options options = parse("--check-config", "--config", "/c.json", "--host=127.0.0.1");

        assertEquals(Mode.CHECK_CONFIG, options.mode());
        assertEquals("127.0.0.1", options.host());
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "65535, 65535", "' 443 ', 443"})
    void portsInRange(String given, int expected) throws UsageException {
        assertEquals(expected, parse("--config", "/c.json", "--port=" + given).port());
    }

    @ParameterizedTest
    @CsvSource({"65536", "-1", "http", "8080x", "99999999999"})
    void portsOutOfRangeNameTheOption(String given) {
        assertEquals("--port: not a port number (0 to 65535): " + given, error("--config", "/c.json", "--port=" + given));
    }

    @Test
    void badPortEnvironmentNamesTheVariable() {
        env.put("PORT", "eighty");

        assertEquals("environment variable PORT: not a port number (0 to 65535): eighty", error("--config", "/c.json"));
    }

    @Test
    void mistakesAreNamed() {
        assertEquals("unknown option: --bogus", error("--bogus"));
        assertEquals("unknown option: -p", error("-p", "80"));
        assertEquals("unexpected argument: serve", error("serve"));
        assertEquals("--config needs a value", error("--config"));
        assertEquals("--config needs a value", error("--config", "--port", "80"));
        assertEquals("--host needs a value", error("--config", "/c.json", "--host="));
        assertEquals("--port given more than once", error("--port", "1", "--port", "2"));
        assertEquals("--help takes no value", error("--help=yes"));
    }

    @Test
    void helpVersionAndDemoNeedNoConfig() throws UsageException {
        assertEquals(Mode.HELP, parse("--help").mode());
        assertEquals(Mode.HELP, parse("--config", "/c.json", "--help").mode());
        assertEquals(Mode.VERSION, parse("--version").mode());
        assertEquals(Mode.DEMO, parse("--demo").mode());
    }

    @Test
    void demoWithCheckConfigIsAMistakeNotADemo() {
        assertEquals("--demo cannot be combined with --check-config (to check a file, leave out --demo)",
                error("--check-config", "--demo", "--config", "ok.json"));
        assertEquals("--demo cannot be combined with --check-config (to check a file, leave out --demo)",
                error("--demo", "--check-config"));
    }

    @Test
    void demoRefusesTheOptionsItWouldIgnore() {
        assertEquals("--demo cannot be combined with --config (the demo runs a configuration of its own)",
                error("--demo", "--config", "ok.json"));
        assertEquals("--demo cannot be combined with --host (the demo listens on the loopback interface only)",
                error("--demo", "--host", "0.0.0.0"));
    }

    @Test
    void checkConfigIgnoresThePortEnvironmentItHasNoUseFor() throws UsageException {
        env.put("PORT", "abc");

        Options options = parse("--check-config", "--config", "/c.json");
        assertEquals(Mode.CHECK_CONFIG, options.mode());
        assertEquals(Mode.HELP, parse("--help").mode());
        assertEquals(Mode.VERSION, parse("--version").mode());
        assertEquals("environment variable PORT: not a port number (0 to 65535): abc", error("--config", "/c.json"));
    }

    @Test
    void checkConfigStillNamesABadPortOption() {
        assertEquals("--port: not a port number (0 to 65535): abc",
                error("--check-config", "--config", "/c.json", "--port", "abc"));
    }

    @Test
    void demoTakesThePortOfItsGateway() throws UsageException {
        assertEquals(8080, parse("--demo").port());
        assertEquals(9000, parse("--demo", "--port", "9000").port());
        env.put("PORT", "9001");
        assertEquals(9001, parse("--demo").port());
    }
}
