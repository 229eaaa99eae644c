package dev.forwardauth.config;

import static dev.forwardauth.config.TestConfigs.list;
import static dev.forwardauth.config.TestConfigs.object;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every app key but {@code name} comes from {@code default} when the app leaves it unset. */
class InheritanceTest {

    record Row(String key, Object inDefault, Object inApp, Function<AppConfig, Object> read, Object fromDefault,
            Object fromApp) {
        @Override
        public String toString() {
            return key;
        }

        boolean isList() {
            return inApp instanceof List<?>;
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row("client-id", "d-client", "a-client", AppConfig::clientId, "d-client", "a-client"),
                new Row("client-secret", "d-secret", "a-secret", AppConfig::clientSecret, "d-secret", "a-secret"),
                new Row("audience", "https://d-api", "https://a-api", AppConfig::audience, "https://d-api",
                        "https://a-api"),
                new Row("scope", "openid d", "openid a", AppConfig::scope, "openid d", "openid a"),
                new Row("redirect-uri", "https://d.example.com/signin", "https://app.example.com/signin",
                        AppConfig::redirectUri, URI.create("https://d.example.com/signin"),
                        URI.create("https://app.example.com/signin")),
                new Row("token-cookie-domain", "example.com", "app.example.com", AppConfig::tokenCookieDomain,
                        "example.com", "app.example.com"),
                new Row("return-to", "https://d.example.com/", "https://a.example.com/", AppConfig::returnTo,
                        URI.create("https://d.example.com/"), URI.create("https://a.example.com/")),
                new Row("restricted-methods", list("POST"), list("PUT"), AppConfig::restrictedMethods,
                        Set.of("POST"), Set.of("PUT")),
                new Row("required-permissions", list("d:perm"), list("a:perm"), AppConfig::requiredPermissions,
                        List.of("d:perm"), List.of("a:perm")),
                new Row("required-scopes", list("d:scope"), list("a:scope"), AppConfig::requiredScopes,
                        List.of("d:scope"), List.of("a:scope")),
                new Row("claims", list("d_claim"), list("a_claim"), AppConfig::claims, List.of("d_claim"),
                        List.of("a_claim")),
                new Row("rules", list(object("path", "/d")), list(object("path", "/a")),
                        app -> app.rules().stream().map(RuleConfig::path).toList(), List.of("/d"), List.of("/a")),
                new Row("allow-basic", true, false, AppConfig::allowBasic, true, false));
    }

    private static TestConfigs withDefault(Row row) {
        return TestConfigs.valid().with("default", TestConfigs.defaults())
                .with("default." + row.key(), row.inDefault());
    }

    private static Object effective(TestConfigs config, Row row) {
        return row.read().apply(config.load().apps().get(0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void absentKeyIsInherited(Row row) {
        assertEquals(row.fromDefault(), effective(withDefault(row).without("apps[0]." + row.key()), row));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void nullKeyIsInherited(Row row) {
        assertEquals(row.fromDefault(), effective(withDefault(row).with("apps[0]." + row.key(), null), row));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void keySetByTheAppIsKept(Row row) {
        assertEquals(row.fromApp(), effective(withDefault(row).with("apps[0]." + row.key(), row.inApp()), row));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void emptyListSetByTheAppStaysEmpty(Row row) {
        if (row.isList()) {
            Object empty = row.fromApp() instanceof Set<?> ? Set.of() : List.of();
            assertEquals(empty, effective(withDefault(row).with("apps[0]." + row.key(), list()), row));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void defaultAppHasItsOwnValues(Row row) {
        assertEquals(row.fromDefault(), row.read().apply(withDefault(row).load().defaultApp().orElseThrow()));
    }

    @Test
    void tableCoversEveryAppKeyButName() {
        Set<String> keys = new HashSet<>(ConfigKeys.of(AppSettings.class).keySet());
        keys.remove("name");
        assertEquals(keys, rows().map(Row::key).collect(Collectors.toSet()));
    }

    @Test
    void defaultWithoutNameHasNoName() {
        AppConfig fallback = TestConfigs.valid().with("default", TestConfigs.defaults()).load()
                .defaultApp().orElseThrow();
        assertEquals(null, fallback.name());
    }
}
