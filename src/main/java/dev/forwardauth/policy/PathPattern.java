package dev.forwardauth.policy;

// A rule's path glob, compiled once. It is matched against a NormalizedPath, so everything a normalised path
// can never contain ("?", "#", "\", ";", "//", dot segments, raw control or non-ASCII characters) is refused
// here too: such a glob would silently never match, and a deny rule that never matches weakens security.
public final class PathPattern {

    private final String glob;
    private final SegmentPattern[] segments;

    private PathPattern(String glob, SegmentPattern[] segments) {
        this.glob = glob;
        this.segments = segments;
    }

    public static PathPattern compile(String glob) {
        if (glob == null) {
            throw new InvalidPatternException("required");
        }
        // Characters first: the messages below quote the glob, and a control character must not reach the
        // one-problem-per-line output of --check-config.
        for (int i = 0; i < glob.length(); i++) {
            checkCharacter(glob.charAt(i));
        }
        if (glob.isEmpty() || glob.charAt(0) != '/') {
            throw new InvalidPatternException("must start with \"/\" (got \"" + glob + "\")");
        }
        if (glob.contains("//")) {
            throw new InvalidPatternException("must not contain \"//\" (request paths have empty segments collapsed)");
        }
        // "/" is one empty segment, "/admin/" two ("admin" and the empty one after the slash).
        String[] texts = glob.substring(1).split("/", -1);
        SegmentPattern[] segments = new SegmentPattern[texts.length];
        for (int i = 0; i < texts.length; i++) {
            segments[i] = SegmentPattern.compile(texts[i]);
        }
        return new PathPattern(glob, segments);
    }

    private static void checkCharacter(char c) {
        if (c <= 0x20 || c == 0x7F) {
            throw new InvalidPatternException("must not contain whitespace or control characters");
        }
        if (c > 0x7F) {
            throw new InvalidPatternException(
                    "must not contain non-ASCII characters (write them percent-encoded, as clients send them)");
        }
        String why = switch (c) {
            case '?' -> "only \"*\" and \"**\" are wildcards, and the query never takes part";
            case '#' -> "request paths with a fragment are refused";
            case '\\' -> "request paths with \"\\\" are refused";
            case ';' -> "request paths with path parameters are refused";
            case '[', ']', '{', '}' -> "only \"*\" and \"**\" are wildcards";
            default -> null;
        };
        if (why != null) {
            throw new InvalidPatternException("must not contain \"" + c + "\" (" + why + ")");
        }
    }

    // normalisedPath must come from PathNormalizer: the matcher relies on its dots being resolved.
    public boolean matches(String normalisedPath) {
        if (normalisedPath == null || normalisedPath.isEmpty() || normalisedPath.charAt(0) != '/') {
            return false;
        }
        int n = normalisedPath.length();
        int s = 0;
        int pos = 1;
        int starSegment = -1;
        int starPos = -1;
        // The same greedy scheme as within a segment, one level up: "**" stands for any run of whole
        // segments, every other glob segment consumes exactly one path segment. pos > n: all consumed.
        while (pos <= n) {
            if (s < segments.length && segments[s] == SegmentPattern.ANY_SEGMENTS) {
                starSegment = s++;
                starPos = pos;
                continue;
            }
            int end = segmentEnd(normalisedPath, pos);
            if (s < segments.length && segments[s].matches(normalisedPath, pos, end)) {
                pos = end + 1;
                s++;
            } else if (starSegment >= 0) {
                s = starSegment + 1;
                starPos = segmentEnd(normalisedPath, starPos) + 1;
                pos = starPos;
            } else {
                return false;
            }
        }
        while (s < segments.length && segments[s] == SegmentPattern.ANY_SEGMENTS) {
            s++;
        }
        return s == segments.length;
    }

    private static int segmentEnd(String path, int from) {
        int slash = path.indexOf('/', from);
        return slash < 0 ? path.length() : slash;
    }

    public String glob() {
        return glob;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PathPattern that && glob.equals(that.glob);
    }

    @Override
    public int hashCode() {
        return glob.hashCode();
    }

    @Override
    public String toString() {
        return glob;
    }
}
