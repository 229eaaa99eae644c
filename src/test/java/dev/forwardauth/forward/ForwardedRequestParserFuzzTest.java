package dev.forwardauth.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Any X-Forwarded-* headers a proxy can be made to send: the parser answers one request or one problem naming
 * a header, never an exception; it accepts exactly what the syntax below allows (written as regular
 * expressions, apart from the parser's hand-written loops), refuses on the first header that breaks it, and
 * the URL a login returns to is always on the host the app was chosen by. Input: lines "Name: value"
 * (ISO-8859-1), a name sent twice counts as repeated; seeds in ForwardedRequestParserFuzzTestInputs.
 */
class ForwardedRequestParserFuzzTest {

    private static final List<String> ORDER = List.of(ForwardedHeaders.METHOD, ForwardedHeaders.PROTO,
            ForwardedHeaders.HOST, ForwardedHeaders.URI);
    private static final Pattern METHOD = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,32}");
    private static final Pattern PROTO = Pattern.compile("(?i)https?|wss?");
    private static final String LABEL = "[A-Za-z0-9_-]{1,63}";
    private static final String PORT = "(:(?<port>[0-9]{1,5}))?";
    private static final Pattern DNS_HOST = Pattern.compile("(?<name>" + LABEL + "(\\." + LABEL + ")*)\\.?" + PORT);
    private static final Pattern IPV6_HOST = Pattern.compile("(?<name>\\[[0-9A-Fa-f.:]{0,45}\\])" + PORT);
    private static final Pattern VISIBLE = Pattern.compile("[\\x21-\\x7E]+");

    @FuzzTest
    void anyForwardedHeadersGiveOneRequestOrAProblemNamingAHeader(byte[] input) {
        Map<String, String> headers = headers(new String(input, StandardCharsets.ISO_8859_1));
        ForwardedRequestParser.Result result = ForwardedRequestParser.parse(name -> headers.get(name.toLowerCase(Locale.ROOT)));
        String expectedProblem = firstProblem(headers);

        if (result instanceof ForwardedRequestParser.Refused refused) {
            ForwardedHeaderProblem problem = refused.problem();
            assertEquals(expectedProblem, problem.header(), "refused " + problem.message() + " for " + headers);
            assertFalse(problem.reason().isEmpty());
            assertTrue(problem.reason().chars().allMatch(c -> c >= 0x20 && c < 0x7F), problem.reason());
            assertEquals(problem.header() + ": " + problem.reason(), problem.message());
            return;
        }
        assertEquals(null, expectedProblem, "accepted " + headers);
        ForwardedRequest request = ((ForwardedRequestParser.Parsed) result).request();
        assertEquals(get(headers, ForwardedHeaders.METHOD).toUpperCase(Locale.ROOT), request.method());
        assertEquals(get(headers, ForwardedHeaders.PROTO).toLowerCase(Locale.ROOT).startsWith("https")
                || get(headers, ForwardedHeaders.PROTO).equalsIgnoreCase("wss") ? "https" : "http", request.scheme());
        String host = get(headers, ForwardedHeaders.HOST);
        assertEquals(host, request.host());
        assertEquals(expectedHostName(host), request.hostName());
        assertEquals(get(headers, ForwardedHeaders.URI), request.uri());
        String prefix = get(headers, ForwardedHeaders.PREFIX);
        assertEquals(prefix == null ? "" : prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix,
                request.prefix());
        // The return URL's authority is exactly the Host the app was chosen by, and it is followed by a path.
        String url = request.originalUrl();
        String authority = request.scheme() + "://" + host;
        assertTrue(url.startsWith(authority) && url.charAt(authority.length()) == '/', url);
        assertTrue(host.chars().noneMatch(c -> "/?#@\\".indexOf(c) >= 0), host);
    }

    /** Lower-case names: the servlet container matches header names case-insensitively. */
    private static Map<String, String> headers(String text) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : text.split("\n", -1)) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            headers.merge(name, value, (first, second) -> ForwardedHeaders.REPEATED);
        }
        return headers;
    }

    private static String get(Map<String, String> headers, String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** Which header the parser must name, in the order it checks them; null when it must accept. */
    private static String firstProblem(Map<String, String> headers) {
        for (String name : ORDER) {
            String value = get(headers, name);
            if (value == null || value.isEmpty() || value == ForwardedHeaders.REPEATED) {
                return name;
            }
        }
        String prefix = get(headers, ForwardedHeaders.PREFIX);
        if (prefix == ForwardedHeaders.REPEATED) {
            return ForwardedHeaders.PREFIX;
        }
        if (!METHOD.matcher(get(headers, ForwardedHeaders.METHOD)).matches()) {
            return ForwardedHeaders.METHOD;
        }
        if (!PROTO.matcher(get(headers, ForwardedHeaders.PROTO)).matches()) {
            return ForwardedHeaders.PROTO;
        }
        if (expectedHostName(get(headers, ForwardedHeaders.HOST)) == null) {
            return ForwardedHeaders.HOST;
        }
        String uri = get(headers, ForwardedHeaders.URI);
        if (uri.length() > 8192 || !uri.startsWith("/") || !VISIBLE.matcher(uri).matches()) {
            return ForwardedHeaders.URI;
        }
        if (prefix != null && !prefix.isEmpty() && !isPlainPath(prefix)) {
            return ForwardedHeaders.PREFIX;
        }
        return null;
    }

    private static String expectedHostName(String host) {
        if (host.length() > 255) {
            return null;
        }
        var dns = DNS_HOST.matcher(host);
        var ipv6 = IPV6_HOST.matcher(host);
        String name;
        String port;
        if (dns.matches()) {
            name = dns.group("name");
            port = dns.group("port");
        } else if (ipv6.matches() && ipv6.group("name").contains(":") && ipv6.group("name").length() > 2) {
            name = ipv6.group("name");
            port = ipv6.group("port");
        } else {
            return null;
        }
        if (port != null && (Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535)) {
            return null;
        }
        return name.toLowerCase(Locale.ROOT);
    }

    private static boolean isPlainPath(String prefix) {
        return prefix.startsWith("/") && prefix.length() <= 8192 && VISIBLE.matcher(prefix).matches()
                && !prefix.contains("//") && prefix.chars().noneMatch(c -> "?#\\%;".indexOf(c) >= 0)
                && List.of(prefix.split("/", -1)).stream().noneMatch(s -> s.equals(".") || s.equals(".."));
    }
}
