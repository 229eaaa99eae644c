package dev.forwardauth.policy;

import dev.forwardauth.policy.NormalizedPath.Rejected;
import dev.forwardauth.policy.NormalizedPath.Valid;

// Turns the raw X-Forwarded-Uri into the one path every rule is matched against. The danger is a path that we
// read one way and the upstream server another (/public/..;/private, /public/%2e%2e/private), so whatever the
// servers behind us might disagree on is refused, and the rest is resolved the way they all resolve it.
public final class PathNormalizer {

    static final String HEADER = "X-Forwarded-Uri";

    // Jetty and Tomcat refuse request headers beyond 8 KiB by default, so no upstream serves a longer path; the
    // limit also bounds the work of the glob matcher.
    static final int MAX_PATH_LENGTH = 8192;

    private PathNormalizer() {
    }

    public static NormalizedPath normalize(String forwardedUri) {
        if (forwardedUri == null) {
            return new Rejected("required");
        }
        if (forwardedUri.isEmpty() || forwardedUri.charAt(0) != '/') {
            return new Rejected("must start with \"/\"");
        }
        // One scan validates every literal character and finds whether anything needs rewriting; a plain path
        // costs this loop and at most one substring (to drop the query).
        int n = forwardedUri.length();
        boolean rewrite = false;
        int segmentStart = 1;
        int end = 1;
        for (; end < n; end++) {
            char c = forwardedUri.charAt(end);
            if (c == '?') {
                break;
            } else if (c == '/') {
                rewrite |= end == segmentStart || isDotSegment(forwardedUri, segmentStart, end);
                segmentStart = end + 1;
            } else if (c == '%') {
                rewrite = true;
            } else if (!isPathLiteral(c)) {
                return new Rejected(literalProblem(c));
            }
        }
        if (end > MAX_PATH_LENGTH) {
            return new Rejected("path longer than " + MAX_PATH_LENGTH + " characters");
        }
        if (rewrite || isDotSegment(forwardedUri, segmentStart, end)) {
            return SegmentResolver.resolve(forwardedUri, end);
        }
        return new Valid(end == n ? forwardedUri : forwardedUri.substring(0, end));
    }

    static boolean isDotSegment(CharSequence s, int from, int to) {
        int length = to - from;
        return length == 1 && s.charAt(from) == '.'
                || length == 2 && s.charAt(from) == '.' && s.charAt(from + 1) == '.';
    }

    // Printable ASCII except the characters servers disagree about. "?" ends the path and "%" starts an
    // escape; both are handled by the caller.
    private static boolean isPathLiteral(char c) {
        return c > 0x20 && c < 0x7F && c != '\\' && c != ';' && c != '#';
    }

    private static String literalProblem(char c) {
        if (c == '\\') {
            // Windows servers and some Java containers treat "\" as "/": /public\..\private.
            return "\"\\\" is not allowed in a path";
        }
        if (c == ';') {
            // Tomcat strips ";params" from each segment before resolving dots, others keep them: /public/..;/private.
            return "\";\" (a path parameter) is not allowed in a path";
        }
        if (c == '#') {
            // No browser sends a fragment. Go servers (Caddy, Traefik) keep a raw "#" in the path and resolve
            // "/public#/../private" to /private, others cut it off: the only safe reading is none.
            return "\"#\" is not allowed in a path";
        }
        if (c == ' ') {
            return "space is not allowed in a path";
        }
        if (c < 0x20 || c == 0x7F) {
            return "control character is not allowed in a path";
        }
        return "non-ASCII character is not allowed in a path (clients send it percent-encoded)";
    }
}
