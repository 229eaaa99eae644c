package dev.forwardauth.forward;

import java.util.Locale;

/**
 * Turns X-Forwarded-Method/-Proto/-Host/-Uri (and -Prefix) into one {@link ForwardedRequest}, or names
 * the header that is missing or malformed. Strict on purpose: whatever we accept here is what policy
 * decides on, and a lenient parse is where peers' bypasses came from. Path normalisation is the policy's
 * job; this only refuses what no proxy sends (control characters, spaces, relative URIs).
 */
public final class ForwardedRequestParser {
    static final int MAX_URI_LENGTH = 8192;
    static final int MAX_HOST_LENGTH = 255;
    static final int MAX_METHOD_LENGTH = 32;

    private ForwardedRequestParser() {
    }

    /** Either a {@link ForwardedRequest} or a {@link ForwardedHeaderProblem}. */
    public sealed interface Result {
    }

    public record Parsed(ForwardedRequest request) implements Result {
    }

    public record Refused(ForwardedHeaderProblem problem) implements Result {
    }

    public static Result parse(ForwardedHeaders headers) {
        String method = headers.value(ForwardedHeaders.METHOD);
        String proto = headers.value(ForwardedHeaders.PROTO);
        String host = headers.value(ForwardedHeaders.HOST);
        String uri = headers.value(ForwardedHeaders.URI);
        String prefix = headers.value(ForwardedHeaders.PREFIX);

        ForwardedHeaderProblem problem = checkPresent(ForwardedHeaders.METHOD, method);
        if (problem == null) problem = checkPresent(ForwardedHeaders.PROTO, proto);
        if (problem == null) problem = checkPresent(ForwardedHeaders.HOST, host);
        if (problem == null) problem = checkPresent(ForwardedHeaders.URI, uri);
        if (problem == null && prefix == ForwardedHeaders.REPEATED) {
            problem = new ForwardedHeaderProblem(ForwardedHeaders.PREFIX, "sent more than once");
        }
        if (problem == null) problem = checkMethod(method);
        String scheme = problem == null ? scheme(proto) : null;
        if (problem == null && scheme == null) {
            problem = new ForwardedHeaderProblem(ForwardedHeaders.PROTO, "must be http or https");
        }
        String hostName = problem == null ? HostNames.hostName(host) : null;
        if (problem == null && hostName == null) {
            problem = new ForwardedHeaderProblem(ForwardedHeaders.HOST,
                    "must be a host name or IP literal with an optional port");
        }
        if (problem == null) problem = checkUri(uri);
        if (problem == null && prefix != null) problem = checkPrefix(prefix);
        if (problem != null) {
            return new Refused(problem);
        }
        String plainPrefix = prefix == null ? "" : stripTrailingSlash(prefix);
        return new Parsed(new ForwardedRequest(upper(method), scheme, host, hostName, plainPrefix, uri));
    }

    private static ForwardedHeaderProblem checkPresent(String name, String value) {
        if (value == null || value.isEmpty()) {
            return new ForwardedHeaderProblem(name, "required");
        }
        if (value == ForwardedHeaders.REPEATED) {
            return new ForwardedHeaderProblem(name, "sent more than once");
        }
        return null;
    }

    private static ForwardedHeaderProblem checkMethod(String method) {
        if (method.length() > MAX_METHOD_LENGTH || !isToken(method)) {
            return new ForwardedHeaderProblem(ForwardedHeaders.METHOD, "must be an HTTP method such as GET");
        }
        return null;
    }

    private static String scheme(String proto) {
        // Traefik reports WebSocket upgrades as ws/wss; for cookies and URLs they are http/https.
        return switch (proto.toLowerCase(Locale.ROOT)) {
            case "https", "wss" -> "https";
            case "http", "ws" -> "http";
            default -> null;
        };
    }

    private static ForwardedHeaderProblem checkUri(String uri) {
        if (uri.length() > MAX_URI_LENGTH) {
            return new ForwardedHeaderProblem(ForwardedHeaders.URI, "longer than " + MAX_URI_LENGTH + " characters");
        }
        if (uri.charAt(0) != '/') {
            return new ForwardedHeaderProblem(ForwardedHeaders.URI, "must be a path starting with \"/\"");
        }
        if (!isVisibleAscii(uri)) {
            return new ForwardedHeaderProblem(ForwardedHeaders.URI,
                    "contains a space, control or non-ASCII character");
        }
        return null;
    }

    /**
     * Traefik sends the prefix a StripPrefix middleware removed. It goes in front of the URI, so it must be
     * a plain absolute path: a scheme, a {@code //} or a {@code ..} here would move the user's return URL
     * or the path policy sees.
     */
    private static ForwardedHeaderProblem checkPrefix(String prefix) {
        if (prefix.isEmpty()) {
            return null;
        }
        boolean plain = prefix.charAt(0) == '/'
                && prefix.length() <= MAX_URI_LENGTH
                && isVisibleAscii(prefix)
                && !prefix.contains("//")
                && prefix.indexOf('?') < 0
                && prefix.indexOf('#') < 0
                && prefix.indexOf('\\') < 0
                && prefix.indexOf('%') < 0
                && prefix.indexOf(';') < 0
                && !hasDotSegment(prefix);
        return plain ? null : new ForwardedHeaderProblem(ForwardedHeaders.PREFIX,
                "must be a plain absolute path such as /api (no scheme, //, .., query or escapes)");
    }

    private static boolean hasDotSegment(String path) {
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return true;
            }
        }
        return false;
    }

    private static String stripTrailingSlash(String prefix) {
        return prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    private static boolean isVisibleAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static String upper(String method) {
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (c >= 'a' && c <= 'z') {
                return method.toUpperCase(Locale.ROOT);
            }
        }
        return method;
    }
}
