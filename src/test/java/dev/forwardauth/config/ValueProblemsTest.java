package dev.forwardauth.config;

import static dev.forwardauth.config.TestConfigs.app;
import static dev.forwardauth.config.TestConfigs.defaults;
import static dev.forwardauth.config.TestConfigs.list;
import static dev.forwardauth.config.TestConfigs.object;
import static dev.forwardauth.config.TestConfigs.valid;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ValueProblemsTest {

    @Test
    void domainAndSessionSecretAreRequired() {
        valid().without("domain").without("session-secret").assertProblems(
                "domain: required", "session-secret: required");
    }

    @Test
    void everyAppNeedsClientIdAudienceAndRedirectUriAfterInheritance() {
        valid().with("apps[1]", TestConfigs.object("name", "b.example.com")).assertProblems(
                "apps[1].client-id: required", "apps[1].audience: required", "apps[1].redirect-uri: required");
    }

    @Test
    void everyAppNeedsAName() {
        valid().without("apps[0].name").assertProblems("apps[0].name: required");
    }

    @Test
    void nameIsNeverInheritedFromDefault() {
        valid().with("default", defaults()).with("default.name", "fallback.example.com")
                .without("apps[0].name").assertProblems("apps[0].name: required");
    }

    @Test
    void defaultMustBeCompleteBecauseItServesUnknownHosts() {
        valid().with("default", TestConfigs.object("scope", "openid")).assertProblems(
                "default.client-id: required", "default.audience: required", "default.redirect-uri: required");
    }

    @Test
    void withoutDefaultAtLeastOneAppIsRequired() {
        valid().with("apps", list()).assertProblems(
                "apps: required when there is no \"default\" (without either, no host is served)");
    }

    @Test
    void emptyStringsAreNotValues() {
        valid().with("apps[0].client-id", " ").with("apps[0].client-secret", "").with("apps[0].audience", "")
                .assertProblems(
                        "apps[0].client-id: must not be empty",
                        "apps[0].client-secret: must not be empty (leave it out for a public client)",
                        "apps[0].audience: must not be empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tenant.eu.auth0.com", "ftp://tenant.eu.auth0.com/", "https:///path", "https://",
        "/relative", "https://ten ant/"})
    void domainMustBeAnAbsoluteHttpUrlWithAHost(String domain) {
        valid().with("domain", domain).assertProblems(
                "domain: must be an absolute http or https URL with a host, got \"" + domain + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"authorize-url", "token-endpoint", "userinfo-endpoint", "logout-endpoint", "jwks-uri"})
    void everyEndpointOverrideMustBeAnAbsoluteHttpUrl(String key) {
        valid().with(key, "idp.example.com/x").assertProblems(
                key + ": must be an absolute http or https URL with a host, got \"idp.example.com/x\"");
    }

    @Test
    void domainMustNotHaveAQueryOrFragment() {
        valid().with("domain", "https://idp.example.com/?tenant=a").assertProblems(
                "domain: must not have a query (?...), got \"https://idp.example.com/?tenant=a\"");
        valid().with("domain", "https://idp.example.com/#a").assertProblems(
                "domain: must not have a fragment (#...), got \"https://idp.example.com/#a\"");
    }

    @Test
    void redirectUriAndReturnToMustBeAbsoluteHttpUrls() {
        valid().with("apps[0].redirect-uri", "/oauth2/signin").with("apps[0].return-to", "app.example.com")
                .assertProblems(
                        "apps[0].redirect-uri: must be an absolute http or https URL with a host,"
                                + " got \"/oauth2/signin\"",
                        "apps[0].return-to: must be an absolute http or https URL with a host,"
                                + " got \"app.example.com\"");
    }

    @ParameterizedTest
    @CsvSource({
        "https://app.example.com/callback, /callback",
        "https://app.example.com/signin-admin, /signin-admin",
        "https://app.example.com, /",
        "https://app.example.com/signin/, /signin/"})
    void redirectUriPathMustEndInSignin(String uri, String path) {
        valid().with("apps[0].redirect-uri", uri).assertProblems(
                "apps[0].redirect-uri: path must end in /signin, got \"" + path + "\"");
    }

    @Test
    void shortSessionSecretStatesTheLengthButNotTheSecret() {
        valid().with("session-secret", "too-short-12").assertProblems(
                "session-secret: must be at least 32 characters, got 12");
    }

    @Test
    void aSessionSecretOfOnlyWhitespaceIsRefusedWhateverItsLength() {
        valid().with("session-secret", " ".repeat(36)).assertProblems(
                "session-secret: must not be blank (it is only whitespace)");
        valid().with("session-secret", "\t \n".repeat(12)).assertProblems(
                "session-secret: must not be blank (it is only whitespace)");
        valid().with("session-secret", " ".repeat(5)).assertProblems(
                "session-secret: must be at least 32 characters, got 5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"domain", "authorize-url", "token-endpoint", "userinfo-endpoint", "logout-endpoint",
        "jwks-uri", "apps[0].redirect-uri", "apps[0].return-to"})
    void aUrlWithUserInformationIsRefusedWithoutRepeatingIt(String key) {
        List<String> problems = valid().with(key, "https://user:pa55word@app.example.com/oauth2/signin").problems();

        assertEquals(List.of(key + ": must not contain user information (user:password@ before the host):"
                + " credentials in a URL end up in logs and Location headers"), problems);
    }

    // Also where the URL does not parse, or has no scheme: the message never quotes the password.
    @ParameterizedTest
    @ValueSource(strings = {"https://user@idp.example.com/", "https://@idp.example.com/", "http://a:b@c@idp.example.com/",
        "ftp://user:pa55word@idp.example.com/", "https://u:pa55word@idp example/", "user:pa55word@idp.example.com"})
    void anyUserInformationIsRefused(String url) {
        valid().with("domain", url).assertProblems("domain: must not contain user information (user:password@"
                + " before the host): credentials in a URL end up in logs and Location headers");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://idp.example.com/@tenant", "https://idp.example.com/?login_hint=a@example.com"})
    void anAtSignAfterTheHostIsNoUserInformation(String url) {
        valid().with("apps[0].return-to", url).load();
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -5})
    void agesMustBePositive(long seconds) {
        valid().with("nonce-max-age", seconds).with("session-max-age", seconds).assertProblems(
                "nonce-max-age: must be from 1 to 86400 seconds, got " + seconds,
                "session-max-age: must be from 1 to 31536000 seconds, got " + seconds);
    }

    // Each of these passed the check before, and then every login failed with 500 (an Instant overflowed).
    @ParameterizedTest
    @ValueSource(longs = {86_401, 9_223_372_036_854_775L, 31_556_889_864_403_199L, Long.MAX_VALUE})
    void aLoginMayTakeADayAtMost(long seconds) {
        valid().with("nonce-max-age", seconds).assertProblems(
                "nonce-max-age: must be from 1 to 86400 seconds, got " + seconds);
    }

    // Long.MAX_VALUE passed the check before, and then every sign-in failed with 400.
    @ParameterizedTest
    @ValueSource(longs = {31_536_001, 9_223_372_036_854_775L, Long.MAX_VALUE})
    void aSessionMayLastAYearAtMost(long seconds) {
        valid().with("session-max-age", seconds).assertProblems(
                "session-max-age: must be from 1 to 31536000 seconds, got " + seconds);
    }

    @Test
    void agesAtTheirLimitsAreValid() {
        ForwardAuthConfig config = valid().with("nonce-max-age", 86_400).with("session-max-age", 31_536_000).load();
        assertEquals(Duration.ofDays(1), config.nonceMaxAge());
        assertEquals(Duration.ofDays(365), config.sessionMaxAge());
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, 301, 5000})
    void idpTimeoutsAreWholeSecondsUpToFiveMinutes(long seconds) {
        valid().with("idp-connect-timeout", seconds).with("idp-read-timeout", seconds).assertProblems(
                "idp-connect-timeout: must be from 1 to 300 seconds, got " + seconds,
                "idp-read-timeout: must be from 1 to 300 seconds, got " + seconds);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -3, 10_001})
    void idpMaxConcurrentCallsIsAtLeastOne(long calls) {
        valid().with("idp-max-concurrent-calls", calls).assertProblems(
                "idp-max-concurrent-calls: must be from 1 to 10000, got " + calls);
    }

    @Test
    void idpLimitsAtTheirBoundsAreValid() {
        ForwardAuthConfig config = valid().with("idp-connect-timeout", 1).with("idp-read-timeout", 300)
                .with("idp-max-concurrent-calls", 1).load();
        assertEquals(new ForwardAuthConfig.IdpLimits(Duration.ofSeconds(1), Duration.ofSeconds(300), 1), config.idpLimits());
    }

    @Test
    void duplicateAppNamesAreCaseInsensitiveAndNameTheEarlierOne() {
        valid().with("apps[1]", app("other.example.com")).with("apps[2]", app("App.Example.COM"))
                .assertProblems("apps[2].name: \"App.Example.COM\" is already the name of apps[0]"
                        + " (names are case-insensitive)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a.*.example.com", "*example.com", "*", "*.", "app example.com",
        "https://app.example.com", "app.example.com:8443", "-app.example.com", "app..example.com", ""})
    void nameMustBeAHostOrALeadingWildcard(String name) {
        valid().with("apps[0].name", name).with("apps[0].redirect-uri", "https://x.example.com/signin")
                .assertProblems("apps[0].name: must be a host name like app.example.com or a wildcard like"
                        + " *.example.com (only a whole leading \"*.\" label), got \"" + name + "\"");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "10.0.0/8      | must be an IP address or a CIDR range like 10.0.0.0/8 or fc00::/7, got \"10.0.0/8\"",
        "foo           | must be an IP address or a CIDR range like 10.0.0.0/8 or fc00::/7, got \"foo\"",
        "10.0.0.0/     | must be an IP address or a CIDR range like 10.0.0.0/8 or fc00::/7, got \"10.0.0.0/\"",
        "10.0.0.0/33   | prefix length must be 0 to 32 for an IPv4 address, got \"10.0.0.0/33\"",
        "::1/129       | prefix length must be 0 to 128 for an IPv6 address, got \"::1/129\"",
        "10.1.2.3/8    | has bits set after the /8 prefix (did you mean 10.0.0.0/8?), got \"10.1.2.3/8\""})
    void trustedProxiesMustBeCidrRanges(String range, String message) {
        valid().with("trusted-proxies", list("127.0.0.0/8", "::1/128", "192.168.0.0/16", range))
                .assertProblems("trusted-proxies[3]: " + message);
    }

    @Test
    void lowerCaseMethodIsAnErrorThatSaysSo() {
        valid().with("apps[0].restricted-methods", list("POST", "get")).assertProblems(
                "apps[0].restricted-methods[1]: must be upper case (HTTP methods are case-sensitive):"
                        + " use \"GET\", got \"get\"");
    }

    @ParameterizedTest
    @CsvSource({"OPTION, OPTIONS", "DELET, DELETE", "PUTS, PUT", "UNLOCKS, UNLOCK"})
    void methodOneLetterFromARegisteredOneIsATypo(String method, String meant) {
        valid().with("apps[0].restricted-methods", list(method)).assertProblems(
                "apps[0].restricted-methods[0]: is not a registered HTTP method (did you mean \"" + meant
                        + "\"?), got \"" + method + "\"");
    }

    @Test
    void unregisteredMethodFarFromRegisteredOnesIsAllowed() {
        AppConfig app = valid().with("apps[0].restricted-methods", list("PURGE", "BREW", "PROPFIND")).load()
                .apps().get(0);
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Set.of("PURGE", "BREW", "PROPFIND"),
                app.restrictedMethods());
    }

    @ParameterizedTest
    @ValueSource(strings = {"GE T", "", "POST,PUT", "GÉT"})
    void methodMustBeAnHttpToken(String method) {
        valid().with("apps[0].restricted-methods", list(method)).assertProblems(
                "apps[0].restricted-methods[0]: must be an HTTP method (an RFC 9110 token in upper case,"
                        + " like GET or PROPFIND), got \"" + method + "\"");
    }

    @Test
    void everyTokenCharacterIsAllowedInAClaimName() {
        ForwardAuthConfig config = valid().with("apps[0].claims", list("azAZ09", "!#$%&'*+-.^_`|~")).load();
        assertEquals(List.of("azAZ09", "!#$%&'*+-.^_`|~"), config.apps().get(0).claims());
    }

    @Test
    void aRulesMethodsAreCheckedLikeTheAppsRestrictedMethods() {
        valid().with("apps[0].rules", list(object("path", "/x", "methods", list("GET", "post")))).assertProblems(
                "apps[0].rules[0].methods[1]: must be upper case (HTTP methods are case-sensitive):"
                        + " use \"POST\", got \"post\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"az-AZ.09_x.example.com", "*.az-AZ.09_x.example.com"})
    void nameLabelsAreLettersDigitsHyphensAndUnderscores(String name) {
        valid().with("apps[0].name", name).with("apps[0].redirect-uri", "https://x.example.com/signin").load();
    }

    @Test
    void aNameHasLabelsOfAtMost63AndAtMost253Characters() {
        String label63 = "a".repeat(63);
        String longest = String.join(".", label63, label63, label63, "a".repeat(61));
        assertEquals(253, longest.length());
        for (String name : List.of(label63 + ".example.com", longest)) {
            valid().with("apps[0].name", name).with("apps[0].redirect-uri", "https://x.example.com/signin").load();
        }
        for (String name : List.of("a" + label63 + ".example.com", longest + "a")) {
            valid().with("apps[0].name", name).with("apps[0].redirect-uri", "https://x.example.com/signin")
                    .assertProblems("apps[0].name: must be a host name like app.example.com or a wildcard like"
                            + " *.example.com (only a whole leading \"*.\" label), got \"" + name + "\"");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "given name", "x-forwarded:user"})
    void claimMustBeATokenNonEmpty(String claim) {
        valid().with("apps[0].claims", list("sub", claim)).assertProblems(
                "apps[0].claims[1]: must be a claim name of letters, digits and !#$%&'*+-.^_`|~"
                        + " (it becomes part of a header name), got \"" + claim + "\"");
    }

    @Test
    void requiredScopesAndPermissionsAreSingleWords() {
        valid().with("apps[0].required-scopes", list("read:site write:site"))
                .with("apps[0].required-permissions", list(""))
                .assertProblems(
                        "apps[0].required-permissions[0]: must be one non-empty word without spaces, got \"\"",
                        "apps[0].required-scopes[0]: must be one non-empty word without spaces,"
                                + " got \"read:site write:site\"");
    }

    @Test
    void scopeMustAskForOpenid() {
        valid().with("apps[0].scope", "profile email").assertProblems(
                "apps[0].scope: must include \"openid\" (login uses OpenID Connect), got \"profile email\"");
    }

    @Test
    void tokenCookieDomainMustBeADomain() {
        valid().with("apps[0].token-cookie-domain", "https://example.com").assertProblems(
                "apps[0].token-cookie-domain: must be a domain like example.com, got \"https://example.com\"");
    }

    @Test
    void tokenCookieDomainMustCoverTheAppsName() {
        valid().with("default", defaults()).with("default.token-cookie-domain", "example.org").assertProblems(
                "apps[0].token-cookie-domain: \"example.org\" does not cover the app's name \"app.example.com\","
                        + " so browsers would refuse the session cookie");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "admin forwardauth", " admin:forwardauth"})
    void statusPermissionMustBeOneWord(String permission) {
        valid().with("status-permission", permission).assertProblems(
                "status-permission: must be one non-empty word without spaces, got \"" + permission + "\"");
    }

    @Test
    void statusPermissionDefaultsToTheOriginalsAdminPermission() {
        org.junit.jupiter.api.Assertions.assertEquals("admin:forwardauth", valid().load().statusPermission());
        org.junit.jupiter.api.Assertions.assertEquals("ops:status",
                valid().with("status-permission", "ops:status").load().statusPermission());
    }
}
