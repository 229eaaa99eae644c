package dev.forwardauth.config;

import static dev.forwardauth.config.TestConfigs.app;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostMatchingTest {
    private static final String DEFAULT = "(default)";

    private static final ForwardAuthConfig CONFIG = TestConfigs.valid()
            .with("apps[1]", app("*.example.com"))
            .with("apps[2]", app("*.deep.example.com"))
            .with("apps[3]", app("Mixed.Example.ORG."))
            .with("apps[4]", app("*.b.example.com"))
            .with("default", TestConfigs.defaults())
            .load();

    private static String appNameFor(ForwardAuthConfig config, String forwardedHost) {
        return config.appFor(forwardedHost).map(app -> app.name() == null ? DEFAULT : app.name()).orElse("(none)");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "app.example.com,             app.example.com",
        "APP.Example.COM,             app.example.com",
        "app.example.com:8443,        app.example.com",
        "app.example.com.,            app.example.com",
        "app.example.com.:443,        app.example.com",
        "' app.example.com ',         app.example.com",
        "other.example.com,           *.example.com",
        "a.c.example.com,             *.example.com",
        "deep.example.com,            *.example.com",
        "x.deep.example.com,          *.deep.example.com",
        "a.b.c.deep.example.com,      *.deep.example.com",
        "x.b.example.com,             *.b.example.com",
        "b.example.com,               *.example.com",
        "mixed.example.org,           mixed.example.org",
        "MIXED.example.org:80,        mixed.example.org",
        "example.com,                 (default)",
        "x.example.com.evil.org,      (default)",
        ".example.com,                (default)",
        "unknown.org,                 (default)",
        "[::1]:8080,                  (default)",
        "[::1],                       (default)",
        "'',                          (default)"})
    void picksExactThenLongestWildcardThenDefault(String forwardedHost, String expected) {
        assertEquals(expected, appNameFor(CONFIG, forwardedHost));
    }

    @Test
    void noHostIsNoAppEvenWithADefault() {
        assertEquals(Optional.empty(), CONFIG.appFor(null));
    }

    @Test
    void withoutDefaultUnknownHostsGetNoApp() {
        ForwardAuthConfig config = TestConfigs.valid().load();
        assertEquals(Optional.empty(), config.appFor("unknown.org"));
        assertEquals(Optional.empty(), config.appFor(null));
        assertEquals("app.example.com", appNameFor(config, "App.Example.com:443"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "app.example.com:8443, app.example.com",
        "[2001:db8::1]:443,    [2001:db8::1]",
        "[2001:DB8::1],        [2001:db8::1]",
        "2001:db8::1,          2001:db8::1",
        "Example.COM.,         example.com",
        "10.0.0.1:80,          10.0.0.1"})
    void hostOfDropsPortTrailingDotAndCase(String value, String host) {
        assertEquals(host, HostIndex.hostOf(value));
    }
}
