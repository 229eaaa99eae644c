package dev.forwardauth.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.forwardauth.config.ConfigLoader;
import dev.forwardauth.config.ForwardAuthConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedirectTargetsTest {
    static RedirectTargets targets;

    @BeforeAll
    static void load(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, """
                {
                  "domain": "https://tenant.eu.auth0.com/",
                  "session-secret": "0123456789abcdef0123456789abcdef",
                  "default": {
                    "client-id": "id", "audience": "https://api.example.com",
                    "redirect-uri": "https://auth.example.com/oauth2/signin"
                  },
                  "apps": [
                    {"name": "app.example.com"},
                    {"name": "*.tools.example.org"},
                    {"name": "sso.example.net", "token-cookie-domain": "example.net"}
                  ]
                }
                """);
        ForwardAuthConfig config = ConfigLoader.load(file, Map.of());
        targets = new RedirectTargets(config);
    }

    @ParameterizedTest
    @CsvSource({
        "https://app.example.com/Reports/Q1?Sort=Desc",
        "HTTPS://APP.EXAMPLE.COM/x",
        "http://app.example.com:8443/",
        "https://app.example.com./",
        "https://auth.example.com/",
        "https://grafana.tools.example.org/d/1",
        "https://a.b.tools.example.org/",
        "https://example.net/",
        "https://wiki.example.net/page",
    })
    void configuredHostsAreSafeTargets(String url) {
        assertEquals(Optional.empty(), targets.problem(url));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "//evil.com/                       | the return URL must be an absolute http or https URL",
        "/\\evil.com/                      | the return URL contains a space, backslash, control or non-ASCII character",
        "https:evil.com                    | the return URL must be an absolute http or https URL",
        "https:/evil.com                   | the return URL must be an absolute http or https URL",
        "https://app.example.com@evil.com/ | the return URL must not contain user information (@)",
        "https://evil.com@app.example.com/ | the return URL must not contain user information (@)",
        "https://app.example.com.evil.com/ | the return URL's host app.example.com.evil.com is not a configured app host",
        "https://evil.com/                 | the return URL's host evil.com is not a configured app host",
        "https://tools.example.org/        | the return URL's host tools.example.org is not a configured app host",
        "https://notexample.net/           | the return URL's host notexample.net is not a configured app host",
        "/relative/path                    | the return URL must be an absolute http or https URL",
        "javascript:alert(1)               | the return URL must be an absolute http or https URL",
        "ftp://app.example.com/            | the return URL must be an absolute http or https URL",
        "https://аpp.example.com/          | the return URL contains a space, backslash, control or non-ASCII character",
        "https://xn--pp-8cd.example.com/   | the return URL's host xn--pp-8cd.example.com is not a configured app host",
    })
    void openRedirectVectorsAreRefusedWithTheReason(String url, String reason) {
        assertEquals(Optional.of(reason), targets.problem(url));
    }

    @ParameterizedTest
    @CsvSource({"'https://app.example.com/\tx'", "'https://app.example.com/\nx'", "'https://app.example.com/\rx'",
        "'https://app.example.com/ x'", "'/%09/evil.com'"})
    void whitespaceThatBrowsersStripIsRefused(String url) {
        assertEquals(true, targets.problem(url).isPresent(), url);
    }

    @ParameterizedTest
    @CsvSource({"''"})
    void emptyIsRefused(String url) {
        assertEquals(Optional.of("a return URL is required"), targets.problem(url));
        assertEquals(Optional.of("a return URL is required"), targets.problem(null));
    }

    @ParameterizedTest
    @CsvSource({
        "https://auth.example.com/, true",             // the default app's redirect-uri
        "https://app.example.com/, true",              // an app's name
        "https://login.shared.example.com/, true",     // an app's redirect-uri
        "https://x.shared.example.com/, true",         // under a wildcard name
        "https://shared.example.com/, true",           // a token-cookie-domain itself
        "https://www.other.example.com/, false",       // no wildcard for other.example.com
        "https://evil.null/, false",                   // apps without a cookie domain add none
        "https://pp.example.com/, false",
    })
    void everyAppsNameRedirectHostAndCookieDomainAreTargets(String url, boolean allowed) {
        RedirectTargets targets = TestSetup.security(TestSetup.deadIdp(), java.time.Clock.systemUTC()).redirectTargets();
        assertEquals(allowed, targets.problem(url).isEmpty(), url);
    }

    @Test
    void aReturnUrlHasAtMost4096Characters() {
        String longest = "https://app.example.com/" + "a".repeat(RedirectTargets.MAX_LENGTH - 24);
        assertEquals(RedirectTargets.MAX_LENGTH, longest.length());
        assertEquals(Optional.empty(), targets.problem(longest));
        assertEquals(Optional.of("the return URL is longer than 4096 characters"), targets.problem(longest + "a"));
    }

    @Test
    void everyVisibleAsciiCharacterButBackslashIsAllowedInThePathAndQuery() {
        for (char c = 0x21; c < 0x7f; c++) {
            if (c == '\\') {
                continue;
            }
            String url = "https://app.example.com/a" + c + "b?q=a" + c + "b";
            assertEquals(Optional.empty(), targets.problem(url), url);
        }
        assertEquals(Optional.of("the return URL contains a space, backslash, control or non-ASCII character"),
                targets.problem("https://app.example.com/ x"));
        assertEquals(Optional.of("the return URL contains a space, backslash, control or non-ASCII character"),
                targets.problem("https://app.example.com/\u007f"));
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
        "https://app.example.com/search?q=a|b => https://app.example.com/search?q=a%7Cb",
        "https://app.example.com/a^b/{x}?q=`x` => https://app.example.com/a%5Eb/%7Bx%7D?q=%60x%60",
        "https://app.example.com/list[1]?q=\"<x>\" => https://app.example.com/list%5B1%5D?q=%22%3Cx%3E%22",
        "https://app.example.com/?d=100% => https://app.example.com/?d=100%25",
        "https://app.example.com/?d=%zz%4 => https://app.example.com/?d=%25zz%254",
        "https://app.example.com/a%2Fb?q=%7C => https://app.example.com/a%2Fb?q=%7C",
        "https://app.example.com/#a#b => https://app.example.com/#a%23b",
        "https://app.example.com:8443/x|y => https://app.example.com:8443/x%7Cy",
    })
    void charactersBrowsersSendRawAreEscapedInTheUrlTheBrowserIsSentTo(String url, String sentTo) {
        assertEquals(new RedirectTargets.Checked(sentTo, null), targets.check(url));
    }

    @Test
    void aUrlWithoutRawCharactersIsSentAsItIs() {
        String url = "https://app.example.com/Reports/Q1?Sort=Desc&x=%41";
        assertSame(url, targets.check(url).url());
    }

    @ParameterizedTest
    @CsvSource({"https://app.example.com|x/", "https://app.example.com]/"})
    void aMalformedAuthorityIsRefusedNotEscaped(String url) {
        assertEquals(Optional.of("the return URL is not a valid URL"), targets.problem(url));
    }

    @ParameterizedTest
    @CsvSource({"0", "65536", "99999"})
    void aPortOutsideOneTo65535IsRefused(int port) {
        assertEquals(Optional.of("the return URL's port " + port + " is not a port (1 to 65535)"),
                targets.problem("https://app.example.com:" + port + "/"));
    }
}
