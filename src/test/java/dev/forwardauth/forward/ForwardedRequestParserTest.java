package dev.forwardauth.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ForwardedRequestParserTest {

    private static Map<String, String> traefik() {
        Map<String, String> headers = new HashMap<>();
        headers.put(ForwardedHeaders.METHOD, "GET");
        headers.put(ForwardedHeaders.PROTO, "https");
        headers.put(ForwardedHeaders.HOST, "App.Example.com");
        headers.put(ForwardedHeaders.URI, "/Reports/Q1?Sort=Desc");
        return headers;
    }

    private static ForwardedRequestParser.Result parse(Map<String, String> headers) {
        return ForwardedRequestParser.parse(headers::get);
    }

    private static ForwardedRequest parsed(Map<String, String> headers) {
        return assertInstanceOf(ForwardedRequestParser.Parsed.class, parse(headers)).request();
    }

    private static String refusal(Map<String, String> headers) {
        return assertInstanceOf(ForwardedRequestParser.Refused.class, parse(headers)).problem().message();
    }

    @Test
    void traefikRequestIsRebuiltWithCasePreserved() {
        ForwardedRequest request = parsed(traefik());
        assertEquals("GET", request.method());
        assertEquals("app.example.com", request.hostName());
        assertEquals("https://App.Example.com/Reports/Q1?Sort=Desc", request.originalUrl());
        assertEquals(true, request.secure());
    }

    @ParameterizedTest
    @CsvSource({
        "X-Forwarded-Method, X-Forwarded-Method: required",
        "X-Forwarded-Proto, X-Forwarded-Proto: required",
        "X-Forwarded-Host, X-Forwarded-Host: required",
        "X-Forwarded-Uri, X-Forwarded-Uri: required",
    })
    void eachMissingHeaderIsNamed(String header, String message) {
        Map<String, String> headers = traefik();
        headers.remove(header);
        assertEquals(message, refusal(headers));
    }

    @Test
    void emptyHeaderCountsAsMissing() {
        Map<String, String> headers = traefik();
        headers.put(ForwardedHeaders.HOST, "");
        assertEquals("X-Forwarded-Host: required", refusal(headers));
    }

    @Test
    void repeatedHeaderIsRefused() {
        Map<String, String> headers = traefik();
        headers.put(ForwardedHeaders.URI, ForwardedHeaders.REPEATED);
        assertEquals("X-Forwarded-Uri: sent more than once", refusal(headers));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "X-Forwarded-Method | GE T | X-Forwarded-Method: must be an HTTP method such as GET",
        "X-Forwarded-Method | GET<CRLF>X: y | X-Forwarded-Method: must be an HTTP method such as GET",
        "X-Forwarded-Proto | ftp | X-Forwarded-Proto: must be http or https",
        "X-Forwarded-Host | app.example.com:99999 | X-Forwarded-Host: must be a host name or IP literal with an optional port",
        "X-Forwarded-Host | app.example.com/evil | X-Forwarded-Host: must be a host name or IP literal with an optional port",
        "X-Forwarded-Host | evil.com@app.example.com | X-Forwarded-Host: must be a host name or IP literal with an optional port",
        "X-Forwarded-Host | a.com,b.com | X-Forwarded-Host: must be a host name or IP literal with an optional port",
        "X-Forwarded-Host | [::1 | X-Forwarded-Host: must be a host name or IP literal with an optional port",
        "X-Forwarded-Host | a..b | X-Forwarded-Host: must be a host name or IP literal with an optional port",
        "X-Forwarded-Uri | private | X-Forwarded-Uri: must be a path starting with \"/\"",
        "X-Forwarded-Uri | https://evil.com/ | X-Forwarded-Uri: must be a path starting with \"/\"",
        "X-Forwarded-Uri | /a b | X-Forwarded-Uri: contains a space, control or non-ASCII character",
        "X-Forwarded-Uri | /a\u0000b | X-Forwarded-Uri: contains a space, control or non-ASCII character",
        "X-Forwarded-Uri | /caf\u00e9 | X-Forwarded-Uri: contains a space, control or non-ASCII character",
        "X-Forwarded-Prefix | api | X-Forwarded-Prefix: must be a plain absolute path such as /api (no scheme, //, .., query or escapes)",
        "X-Forwarded-Prefix | //evil.com | X-Forwarded-Prefix: must be a plain absolute path such as /api (no scheme, //, .., query or escapes)",
        "X-Forwarded-Prefix | /api/../admin | X-Forwarded-Prefix: must be a plain absolute path such as /api (no scheme, //, .., query or escapes)",
        "X-Forwarded-Prefix | https://evil.com | X-Forwarded-Prefix: must be a plain absolute path such as /api (no scheme, //, .., query or escapes)",
        "X-Forwarded-Prefix | /%2e%2e | X-Forwarded-Prefix: must be a plain absolute path such as /api (no scheme, //, .., query or escapes)",
    })
    void malformedHeaderIsNamedWithWhatIsAllowed(String header, String value, String message) {
        Map<String, String> headers = traefik();
        headers.put(header, value.replace("<CRLF>", "\r\n"));
        assertEquals(message, refusal(headers));
    }

    @ParameterizedTest
    @CsvSource({
        "App.Example.com:8443, app.example.com",
        "app.example.com., app.example.com",
        "APP.EXAMPLE.COM, app.example.com",
        "[::1]:8080, [::1]",
        "127.0.0.1:80, 127.0.0.1",
    })
    void hostNameLosesPortCaseAndTrailingDot(String host, String hostName) {
        Map<String, String> headers = traefik();
        headers.put(ForwardedHeaders.HOST, host);
        assertEquals(hostName, parsed(headers).hostName());
    }

    @ParameterizedTest
    @CsvSource({"get, GET", "propfind, PROPFIND", "TRACE, TRACE"})
    void methodIsUpperCasedSoVariantsCannotSlipPastAMethodList(String sent, String seen) {
        Map<String, String> headers = traefik();
        headers.put(ForwardedHeaders.METHOD, sent);
        assertEquals(seen, parsed(headers).method());
    }

    @ParameterizedTest
    @CsvSource({"wss, https, true", "ws, http, false", "HTTP, http, false"})
    void webSocketSchemesMapToHttpSchemes(String proto, String scheme, boolean secure) {
        Map<String, String> headers = traefik();
        headers.put(ForwardedHeaders.PROTO, proto);
        assertEquals(scheme, parsed(headers).scheme());
        assertEquals(secure, parsed(headers).secure());
    }

    @Test
    void stripPrefixIsPutBackInFrontOfTheUri() {
        Map<String, String> headers = traefik();
        headers.put(ForwardedHeaders.PREFIX, "/api/");
        headers.put(ForwardedHeaders.URI, "/items?id=1");
        assertEquals("/api", parsed(headers).prefix());
        assertEquals("/items?id=1", parsed(headers).uri());
        assertEquals("https://App.Example.com/api/items?id=1", parsed(headers).originalUrl());
    }

    @Test
    void repeatedPrefixIsRefused() {
        Map<String, String> headers = traefik();
        headers.put(ForwardedHeaders.PREFIX, ForwardedHeaders.REPEATED);
        assertEquals("X-Forwarded-Prefix: sent more than once", refusal(headers));
    }

    @ParameterizedTest
    @CsvSource({"AZaz09, AZAZ09", "PaTCH, PATCH", "MOVz, MOVZ"})
    void lettersAndDigitsAreAllowedInAMethodAndLettersAreUpperCased(String sent, String seen) {
        Map<String, String> headers = traefik();
        headers.put(ForwardedHeaders.METHOD, sent);
        assertEquals(seen, parsed(headers).method());
    }

    @Test
    void everyTokenSymbolIsAllowedInAMethod() {
        Map<String, String> headers = traefik();
        headers.put(ForwardedHeaders.METHOD, "!#$%&'*+-.^_`|~M");
        assertEquals("!#$%&'*+-.^_`|~M", parsed(headers).method());
    }

    @Test
    void methodHasAtMost32Characters() {
        Map<String, String> headers = traefik();
        headers.put(ForwardedHeaders.METHOD, "M".repeat(32));
        assertEquals("M".repeat(32), parsed(headers).method());
        headers.put(ForwardedHeaders.METHOD, "M".repeat(33));
        assertEquals("X-Forwarded-Method: must be an HTTP method such as GET", refusal(headers));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a\u007fb", "/a\u001fb"})
    void uriWithDeleteOrControlCharacterIsRefused(String uri) {
        Map<String, String> headers = traefik();
        headers.put(ForwardedHeaders.URI, uri);
        assertEquals("X-Forwarded-Uri: contains a space, control or non-ASCII character", refusal(headers));
    }

    @Test
    void uriAndPrefixOfExactly8192CharactersAreAccepted() {
        Map<String, String> headers = traefik();
        String longest = "/" + "a".repeat(ForwardedRequestParser.MAX_URI_LENGTH - 1);
        headers.put(ForwardedHeaders.URI, longest);
        headers.put(ForwardedHeaders.PREFIX, longest);
        assertEquals(longest, parsed(headers).uri());
        assertEquals(longest, parsed(headers).prefix());
        headers.put(ForwardedHeaders.PREFIX, longest + "a");
        assertEquals("X-Forwarded-Prefix: must be a plain absolute path such as /api (no scheme, //, .., query or escapes)",
                refusal(headers));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api?x", "/api#x", "/api\\x", "/api;x", "/api/.", "/a b", "/api%2f"})
    void prefixWithQueryFragmentBackslashParameterDotOrSpaceIsRefused(String prefix) {
        Map<String, String> headers = traefik();
        headers.put(ForwardedHeaders.PREFIX, prefix);
        assertEquals("X-Forwarded-Prefix: must be a plain absolute path such as /api (no scheme, //, .., query or escapes)",
                refusal(headers));
    }

    @Test
    void emptyPrefixIsNoPrefix() {
        Map<String, String> headers = traefik();
        headers.put(ForwardedHeaders.PREFIX, "");
        assertEquals("", parsed(headers).prefix());
        assertEquals("https://App.Example.com/Reports/Q1?Sort=Desc", parsed(headers).originalUrl());
    }

    @Test
    void plainHttpIsNotSecure() {
        Map<String, String> headers = traefik();
        headers.put(ForwardedHeaders.PROTO, "http");
        assertEquals(false, parsed(headers).secure());
        assertEquals("http://App.Example.com/Reports/Q1?Sort=Desc", parsed(headers).originalUrl());
    }

    @Test
    void overlongUriIsRefused() {
        Map<String, String> headers = traefik();
        headers.put(ForwardedHeaders.URI, "/" + "a".repeat(ForwardedRequestParser.MAX_URI_LENGTH));
        assertEquals("X-Forwarded-Uri: longer than 8192 characters", refusal(headers));
    }
}
