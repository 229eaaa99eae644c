package dev.forwardauth.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
    private static final Path FULL = Path.of("src/test/resources/config/full.json");
    private static final Map<String, String> FULL_ENV = Map.of(
            "SESSION_SECRET", "0123456789abcdef0123456789abcdef-session",
            "DEFAULT_CLIENT_SECRET", "default-secret",
            "ADMIN_CLIENT_SECRET", "admin-secret");

    @TempDir
    Path dir;

    @Test
    void loadsTheTopLevelOfACompleteFile() {
        ForwardAuthConfig config = ConfigLoader.load(FULL, FULL_ENV);
        assertEquals(URI.create("https://tenant.eu.auth0.com/"), config.domain());
        assertEquals(Optional.of(URI.create("https://login.example.com/authorize")), config.authorizeUrl());
        assertEquals(Optional.of(URI.create("https://tenant.eu.auth0.com/oauth/token")), config.tokenEndpoint());
        assertEquals(Optional.of(URI.create("https://tenant.eu.auth0.com/userinfo")), config.userinfoEndpoint());
        assertEquals(Optional.of(URI.create("https://tenant.eu.auth0.com/v2/logout")), config.logoutEndpoint());
        assertEquals(Optional.of(URI.create("https://tenant.eu.auth0.com/.well-known/jwks.json")), config.jwksUri());
        assertEquals(new ForwardAuthConfig.IdpLimits(Duration.ofSeconds(2), Duration.ofSeconds(10), 64),
                config.idpLimits());
        assertEquals(Duration.ofSeconds(120), config.nonceMaxAge());
        assertEquals(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8"), Cidr.parse("192.0.2.7/32")),
                config.trustedProxies());
        assertEquals("0123456789abcdef0123456789abcdef-session", config.sessionSecret());
        assertEquals(Duration.ofSeconds(3600), config.sessionMaxAge());
        assertEquals(URI.create("https://tenant.eu.auth0.com/.well-known/openid-configuration"),
                config.discoveryUri());
    }

    @Test
    void loadsTheDefaultAppOfACompleteFile() {
        AppConfig app = ConfigLoader.load(FULL, FULL_ENV).defaultApp().orElseThrow();
        assertEquals(new AppConfig("fallback.example.com", "default-client", "default-secret",
                "https://api.example.com", "openid profile email offline_access",
                URI.create("https://auth.example.com/oauth2/signin"), "example.com",
                URI.create("https://www.example.com/"), Set.of("POST", "PUT", "PATCH", "DELETE"),
                List.of("read:site"), List.of("read"), List.of("sub", "email"),
                List.of(new RuleConfig(0, "/public/**", Set.of(), "anonymous", List.of(), List.of())), false), app);
    }

    @Test
    void loadsAppsWithTheirOwnAndInheritedSettings() {
        List<AppConfig> apps = ConfigLoader.load(FULL, FULL_ENV).apps();
        assertEquals(new AppConfig("admin.example.com", "admin-client", "admin-secret",
                "https://admin-api.example.com", "openid profile email offline_access",
                URI.create("https://admin.example.com/oauth2/signin"), "example.com",
                URI.create("https://admin.example.com/bye"), Set.of("POST", "PUT", "PATCH", "DELETE"),
                List.of("admin:site"), List.of("read"), List.of("sub", "name", "email", "https_roles"),
                List.of(new RuleConfig(0, "/health", Set.of("GET", "HEAD"), "anonymous", List.of(), List.of()),
                        new RuleConfig(1, "/admin/**", Set.of("POST"), "authenticated", List.of("admin:site"),
                                List.of()),
                        new RuleConfig(2, "/internal/**", Set.of(), "deny", List.of(), List.of())),
                true), apps.get(0));
        AppConfig wildcard = apps.get(1);
        assertEquals("*.apps.example.com", wildcard.name());
        assertEquals("apps-client", wildcard.clientId());
        assertEquals("default-secret", wildcard.clientSecret());
        assertEquals("openid", wildcard.scope());
        assertEquals(List.of(), wildcard.requiredScopes());
        assertEquals(List.of(), wildcard.rules());
        assertFalse(wildcard.allowBasic());
    }

    @Test
    void optionalKeysTakeTheirDefaults() {
        ForwardAuthConfig config = TestConfigs.valid().load();
        assertEquals(Duration.ofSeconds(300), config.nonceMaxAge());
        assertEquals(Duration.ofSeconds(43_200), config.sessionMaxAge());
        assertEquals(new ForwardAuthConfig.IdpLimits(Duration.ofSeconds(5), Duration.ofSeconds(5), 32),
                config.idpLimits());
        assertEquals("[127.0.0.0/8, ::1/128, 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7]",
                config.trustedProxies().toString());
        assertEquals(Optional.empty(), config.authorizeUrl());
        assertEquals(Optional.empty(), config.jwksUri());
        assertEquals(Optional.empty(), config.defaultApp());
        AppConfig app = config.apps().get(0);
        assertEquals("openid profile email", app.scope());
        assertEquals(List.of("sub", "name", "email"), app.claims());
        assertNull(app.restrictedMethods(), "null = every method needs a login");
        assertNull(app.tokenCookieDomain());
        assertNull(app.returnTo());
        assertEquals(List.of(), app.requiredScopes());
        assertEquals(List.of(), app.requiredPermissions());
        assertEquals(List.of(), app.rules());
        assertFalse(app.allowBasic());
    }

    @Test
    void ruleWithoutMethodsOrAllowMatchesEveryMethodAndNeedsALogin() {
        RuleConfig rule = TestConfigs.valid().with("apps[0].rules", TestConfigs.list(TestConfigs.object("path", "/x")))
                .load().apps().get(0).rules().get(0);
        assertEquals(new RuleConfig(0, "/x", Set.of(), "authenticated", List.of(), List.of()), rule);
    }

    @Test
    void publicClientHasNoSecret() {
        assertNull(TestConfigs.valid().without("apps[0].client-secret").load().apps().get(0).clientSecret());
    }

    @Test
    void discoveryUriHasExactlyOneSlashBeforeWellKnown() {
        for (String domain : List.of("https://idp.example.com", "https://idp.example.com/",
                "https://idp.example.com//")) {
            assertEquals(URI.create("https://idp.example.com/.well-known/openid-configuration"),
                    TestConfigs.valid().with("domain", domain).load().discoveryUri(), domain);
        }
        assertEquals(URI.create("https://idp.example.com/realms/main/.well-known/openid-configuration"),
                TestConfigs.valid().with("domain", "https://idp.example.com/realms/main/").load().discoveryUri());
    }

    @Test
    void resolvedConfigIsImmutable() {
        ForwardAuthConfig config = ConfigLoader.load(FULL, FULL_ENV);
        assertThrows(UnsupportedOperationException.class, () -> config.apps().clear());
        assertThrows(UnsupportedOperationException.class, () -> config.trustedProxies().clear());
        assertThrows(UnsupportedOperationException.class, () -> config.apps().get(0).rules().clear());
        assertThrows(UnsupportedOperationException.class,
                () -> config.defaultApp().orElseThrow().restrictedMethods().add("GET"));
        assertThrows(UnsupportedOperationException.class, () -> config.apps().get(0).rules().get(0).methods().clear());
    }

    @Test
    void severalProblemsAreAllReportedAtOnceInTheOrderOfTheKeys() {
        TestConfigs.valid()
                .with("nonce-max-age", "5m")
                .with("session-secret", "short")
                .with("trusted-proxies", TestConfigs.list("10.0.0.0/33"))
                .with("apps[0].clientid", "x")
                .with("apps[0].redirect-uri", "https://app.example.com/callback")
                .with("apps[1]", TestConfigs.object("name", "*.example.com", "client-id", "c",
                        "audience", "${AUDIENCE}", "redirect-uri", "https://login.example.com/signin",
                        "restricted-methods", TestConfigs.list("get"),
                        "rules", TestConfigs.list(TestConfigs.object("path", "/a/../b", "allow", "maybe"))))
                .assertProblems(
                        "nonce-max-age: must be a whole number, got a string",
                        "trusted-proxies[0]: prefix length must be 0 to 32 for an IPv4 address, got \"10.0.0.0/33\"",
                        "session-secret: must be at least 32 characters, got 5",
                        "apps[0].redirect-uri: path must end in /signin, got \"/callback\"",
                        "apps[0].clientid: unknown key (did you mean \"client-id\"?)",
                        "apps[1].audience: environment variable AUDIENCE is not set",
                        "apps[1].restricted-methods[0]: must be upper case (HTTP methods are case-sensitive):"
                                + " use \"GET\", got \"get\"",
                        "apps[1].rules[0].path: must not contain \".\" or \"..\" segments (request paths have"
                                + " them resolved), got \"/a/../b\"",
                        "apps[1].rules[0].allow: must be one of anonymous, authenticated, deny, got \"maybe\"");
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nope.json");
        assertEquals(List.of(missing + ": cannot read the file (it does not exist)"), problemsOf(missing));
    }

    @Test
    void directoryIsNotAFile() {
        assertEquals(List.of(dir + ": cannot read the file (it is a directory)"), problemsOf(dir));
    }

    @Test
    void aDeviceIsRefusedBeforeItIsRead() {
        // /dev/zero never ends: reading it would fill the heap.
        Path zero = Path.of("/dev/zero");
        assertTrue(Files.exists(zero), "no /dev/zero here");
        assertEquals(List.of("/dev/zero: cannot read the file (it is not a regular file)"),
                assertTimeoutPreemptively(Duration.ofSeconds(10), () -> problemsOf(zero)));
    }

    @Test
    void aFifoIsRefusedWithoutWaitingForAWriter() throws Exception {
        Path fifo = fifo(dir.resolve("config.fifo"));
        assertEquals(List.of(fifo + ": cannot read the file (it is not a regular file)"),
                assertTimeoutPreemptively(Duration.ofSeconds(10), () -> problemsOf(fifo)));
    }

    @Test
    void aFileOverOneMebibyteIsRefusedUnread() throws Exception {
        Path file = write(TestConfigs.valid().json() + " ".repeat(ConfigFileBytes.MAX_SIZE));
        assertEquals(List.of(file + ": cannot read the file (it is larger than 1 MiB)"), problemsOf(file));
    }

    @Test
    void aFileOfExactlyOneMebibyteIsRead() throws Exception {
        String json = TestConfigs.valid().json();
        Path file = write(json + " ".repeat(ConfigFileBytes.MAX_SIZE - json.length()));
        assertEquals(ConfigFileBytes.MAX_SIZE, Files.size(file));
        assertEquals("app.example.com", ConfigLoader.load(file, Map.of()).apps().get(0).name());
    }

    @Test
    void checkConfigRefusesADeviceLikeAnyUnreadableFile() {
        assertTrue(Files.exists(Path.of("/dev/zero")), "no /dev/zero here");
        assertEquals(List.of("/dev/zero: cannot read the file (it is not a regular file)"),
                assertTimeoutPreemptively(Duration.ofSeconds(10), () -> ConfigCheck.problems("/dev/zero")));
    }

    @Test
    void nonUtf8FileIsNamed() throws Exception {
        Path file = Files.write(dir.resolve("latin1.json"),
                "{\"domain\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(List.of(file + ": cannot read the file (it is not UTF-8 text)"), problemsOf(file));
    }

    @Test
    void invalidJsonGivesLineAndColumn() throws Exception {
        Path file = write("{\n  \"domain\": \"https://x/\",\n  \"apps\": [1 2]\n}");
        assertEquals(List.of(file + ": not valid JSON at line 3, column 14: unexpected number, expected ','"),
                problemsOf(file));
    }

    @Test
    void trailingCommaIsInvalidJson() throws Exception {
        Path file = write("{\"domain\": \"https://x/\",}");
        assertEquals(List.of(file + ": not valid JSON at line 1, column 25: unexpected '}', expected string"),
                problemsOf(file));
    }

    @Test
    void contentAfterTheTopLevelObjectIsInvalidJson() throws Exception {
        Path file = write("{\"domain\": \"https://x/\"}\n{}");
        assertEquals(List.of(file + ": not valid JSON at line 2, column 1: unexpected '{' after the end of the"
                + " top-level value"), problemsOf(file));
    }

    @Test
    void aDuplicateKeyIsReportedAtItsPathTogetherWithEveryOtherProblem() throws Exception {
        Path file = write("""
                {"domain": "not-a-url",
                 "session-secret": "short",
                 "default": {"client-id": "a", "audience": "https://api.example.com",
                             "redirect-uri": "https://auth.example.com/oauth2/signin", "client-id": "b"}}""");
        assertEquals(List.of(
                "domain: must be an absolute http or https URL with a host, got \"not-a-url\"",
                "session-secret: must be at least 32 characters, got 5",
                "default.client-id: duplicate key at line 4, column 72 (first at line 3, column 14)"), problemsOf(file));
    }

    @Test
    void aDuplicateKeyIsFoundAtAnyDepthAndItsPathIsPrintable() throws Exception {
        Path file = write(TestConfigs.valid().json().replace("\"name\":", "\"a\\\"\\n\": 1, \"a\\\"\\n\": 2, \"name\":"));
        assertEquals(List.of("apps[0].a\"\\u000A: duplicate key at line 1, column 119 (first at line 1, column 107)"),
                problemsOf(file));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "`{\"a\": 1`                | line 1, column 8: unexpected end of file, expected ',' or '}'",
        "`{\"a\": [1,2`             | line 1, column 11: unexpected end of file, expected ',' or ']'",
        "`{\"a\": [1,`              | line 1, column 10: unexpected end of file, expected a value",
        "`{\"a\": [`                | line 1, column 8: unexpected end of file, expected a value or ']'",
        "`{\"a\": `                 | line 1, column 7: unexpected end of file, expected a value",
        "`{\"a\"`                   | line 1, column 5: unexpected end of file, expected ':'",
        "`{`                        | line 1, column 2: unexpected end of file, expected a string (a key) or '}'",
        "`{\"a\": 1,`               | line 1, column 9: unexpected end of file, expected a string (a key)",
        "`{\"a\": \"abc`             | line 1, column 11: unexpected end of file inside a string (a closing '\"' is missing)",
        "`{\"a\": \"a\\\"`             | line 1, column 11: unexpected end of file inside a string (a closing '\"' is missing)",
        "`{\"a\": tru`              | line 1, column 10: unexpected end of file",
        "`{\"a\": 1e`               | line 1, column 9: unexpected end of file"})
    void aFileThatEndsEarlyIsReportedWhereItEndsInPlainWords(String text, String expected) throws Exception {
        Path file = write(text);
        assertEquals(List.of(file + ": not valid JSON at " + expected), problemsOf(file));
    }

    @Test
    void theEndOfAFileOfSeveralLinesIsOnItsLastLine() throws Exception {
        Path file = write("{\n  \"apps\": [\r\n    {\"name\": \"a\"}\n");
        assertEquals(List.of(file + ": not valid JSON at line 4, column 1: unexpected end of file, expected ',' or ']'"),
                problemsOf(file));
    }

    @Test
    void emptyFileIsNamed() throws Exception {
        Path file = write("  \n");
        assertEquals(List.of(file + ": not valid JSON: the file is empty"), problemsOf(file));
    }

    @Test
    void nestingBeyondTheParsersLimitIsInvalidJsonNotACrash() throws Exception {
        Path file = write("[".repeat(5000) + "]".repeat(5000));
        assertEquals(List.of(file + ": not valid JSON: nested more than 1000 levels deep"), problemsOf(file));
    }

    @Test
    void aControlCharacterInAKeyIsShownEscapedSoEachProblemStaysOneLine() throws Exception {
        Path file = write(TestConfigs.valid().json().replaceFirst("\"domain\"", "\"dom\\\\nain\\\\u009b\""));
        List<String> problems = problemsOf(file);
        assertTrue(problems.contains("dom\\u000Aain\\u009B: unknown key (did you mean \"domain\"?)"), problems.toString());
        assertTrue(problems.stream().allMatch(line -> line.chars().allMatch(c -> c >= 0x20 && c < 0x7F)), problems.toString());
    }

    @Test
    void topLevelMustBeAnObject() throws Exception {
        Path file = write("[{\"domain\": \"https://x/\"}]");
        assertEquals(List.of(file + ": the top level must be an object ({...}), got an array"), problemsOf(file));
    }

    @Test
    void byteOrderMarkIsIgnored() throws Exception {
        Path file = write("\uFEFF" + TestConfigs.valid().json());
        assertEquals("app.example.com", ConfigLoader.load(file, Map.of()).apps().get(0).name());
    }

    @Test
    void checkConfigReportsNothingForAValidFile() throws Exception {
        assertEquals(List.of(), ConfigCheck.problems(write(TestConfigs.valid().json()).toString()));
    }

    @Test
    void checkConfigReportsEveryProblemOfAnInvalidFile() throws Exception {
        Path file = write(TestConfigs.valid().without("domain").with("apps[0].audience", null).json());
        assertEquals(List.of("domain: required", "apps[0].audience: required"), ConfigCheck.problems(file.toString()));
    }

    @Test
    void theSameTextLoadsToEqualConfigsAndEveryKeyTakesPartInEquality() {
        TestConfigs base = TestConfigs.valid();
        ForwardAuthConfig config = base.load();
        assertEquals(base.load(), config);
        assertEquals(base.load().hashCode(), config.hashCode());
        for (TestConfigs changed : List.of(base.with("domain", "https://other.eu.auth0.com/"),
                base.with("token-endpoint", "https://other.example.com/token"),
                base.with("nonce-max-age", 60), base.with("session-max-age", 60),
                base.with("trusted-proxies", List.of("10.0.0.0/8")),
                base.with("session-secret", TestConfigs.SECRET + "-other"),
                base.with("default", TestConfigs.defaults()),
                base.with("apps[0].audience", "https://other-api.example.com"))) {
            assertNotEquals(config, changed.load(), changed.json());
        }
        assertNotEquals(config, "a string");
    }

    @Test
    void checkConfigNamesAPathThatCannotBeAFile() {
        assertEquals(List.of("bad\u0000name: cannot read the file (not a valid path: Nul character not allowed)"),
                ConfigCheck.problems("bad\u0000name"));
    }

    @Test
    void exceptionMessageListsTheProblems() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> TestConfigs.valid().without("domain").without("session-secret").load());
        assertEquals("the configuration has 2 problems:\n  domain: required\n  session-secret: required",
                e.getMessage());
        assertTrue(e.problems().size() == 2);
    }

    /** A named pipe: opening it for reading blocks until a writer comes. */
    static Path fifo(Path path) throws Exception {
        Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
        assertTrue(mkfifo.waitFor() == 0 && Files.exists(path), "mkfifo is not available here");
        return path;
    }

    private Path write(String text) throws Exception {
        return Files.writeString(dir.resolve("config.json"), text);
    }

    private static List<String> problemsOf(Path file) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of())).problems();
    }
}
