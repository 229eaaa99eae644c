package dev.forwardauth.policy;

import dev.forwardauth.policy.NormalizedPath.Rejected;
import dev.forwardauth.policy.NormalizedPath.Valid;

// The slow path of PathNormalizer: decodes unreserved escapes, then resolves "." and ".." and collapses "//"
// (RFC 3986 section 5.2.4). Decoding comes first because servers decode before they resolve, so %2e%2e is "..".
final class SegmentResolver {

    // nginx, Tomcat and Go collapse "//" before resolving dots, so /private//../public is /public to them;
    // RFC 3986 and Jetty let ".." remove the empty segment instead: /private/public. No client needs both.
    private static final String EMPTY_BEFORE_DOT_DOT =
            "\"..\" after an empty segment (\"//\") is not allowed in a path";

    private static final String CLIMBS_ABOVE_ROOT = "\"..\" climbs above \"/\"";

    private final String uri;
    private final int end;
    private final StringBuilder out;
    // Where each kept segment starts in out, so ".." can drop the last one. A kept segment takes at least two
    // characters ("/x"), which bounds the depth.
    private final int[] segmentStarts;
    private int depth;
    private boolean collapsed;

    private SegmentResolver(String uri, int end) {
        this.uri = uri;
        this.end = end;
        this.out = new StringBuilder(end);
        this.segmentStarts = new int[end / 2 + 1];
    }

    // Literal characters in uri[0, end) were already validated by PathNormalizer.
    static NormalizedPath resolve(String uri, int end) {
        return new SegmentResolver(uri, end).run();
    }

    private NormalizedPath run() {
        int from = 1;
        while (true) {
            int to = segmentEnd(from);
            boolean last = to == end;
            int mark = out.length();
            out.append('/');
            String problem = appendDecoded(uri, from, to, out);
            if (problem == null) {
                problem = settle(mark, last);
            }
            if (problem != null) {
                return new Rejected(problem);
            }
            if (last) {
                return new Valid(out.toString());
            }
            from = to + 1;
        }
    }

    // Keeps, drops or resolves the segment just appended at mark; returns the problem, or null.
    private String settle(int mark, boolean last) {
        int length = out.length() - mark - 1;
        if (!PathNormalizer.isDotSegment(out, mark + 1, out.length())) {
            if (length == 0 && !last) {
                out.setLength(mark);
                collapsed = true;
            } else {
                segmentStarts[depth++] = mark;
            }
            return null;
        }
        int keep = mark;
        if (length == 2) {
            if (collapsed) {
                return EMPTY_BEFORE_DOT_DOT;
            }
            if (depth == 0) {
                return CLIMBS_ABOVE_ROOT;
            }
            keep = segmentStarts[--depth];
        }
        // "/a/b/.." is "/a/": a trailing dot segment leaves the directory, with its slash.
        out.setLength(keep);
        if (last) {
            out.append('/');
        }
        return null;
    }

    private int segmentEnd(int from) {
        int slash = uri.indexOf('/', from);
        return slash < 0 || slash > end ? end : slash;
    }

    // Appends uri[from, to) with unreserved escapes decoded and every other escape in upper-case hex, so one
    // resource has one spelling. Returns the problem, or null.
    private static String appendDecoded(String uri, int from, int to, StringBuilder out) {
        for (int i = from; i < to; i++) {
            char c = uri.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            int b = Percent.decodeAt(uri, i, to);
            if (b < 0) {
                return "malformed percent-escape (\"%\" must be followed by two hex digits)";
            }
            String problem = encodedProblem(b);
            if (problem != null) {
                return problem;
            }
            if (Percent.isUnreserved(b)) {
                out.append((char) b);
            } else {
                out.append('%').append(Percent.HEX[b >> 4]).append(Percent.HEX[b & 0xF]);
            }
            i += 2;
        }
        return null;
    }

    private static String encodedProblem(int b) {
        if (b == '/') {
            // Some servers decode %2F into a separator after routing, others never do: /public%2f..%2fprivate.
            return "encoded \"/\" (%2F) is not allowed in a path";
        }
        if (b == '\\') {
            return "encoded \"\\\" (%5C) is not allowed in a path";
        }
        if (Percent.isControl(b)) {
            // %00 truncates the path in C servers and file systems: /private%00.css.
            return "encoded control character (" + Percent.escape(b) + ") is not allowed in a path";
        }
        return null;
    }
}
