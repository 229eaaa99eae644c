package dev.forwardauth.policy;

import java.util.Arrays;

// One segment of a glob: literal bytes and "*" (any run of characters within the segment, also none).
// Both sides are compared decoded, byte by byte: a normalised path keeps escapes such as %2B, and a server
// serves /a%2Bb and /a+b alike, so a rule for /a+b/** must cover both.
final class SegmentPattern {

    static final SegmentPattern ANY_SEGMENTS = new SegmentPattern(null);

    private static final int STAR = -1;
    // Stands for any non-ASCII character in a path; never equal to a glob unit (a byte or STAR).
    private static final int NON_ASCII = 0xFFFF;

    private final int[] units;

    private SegmentPattern(int[] units) {
        this.units = units;
    }

    // text is one segment of an already character-checked glob.
    static SegmentPattern compile(String text) {
        if (text.equals("**")) {
            return ANY_SEGMENTS;
        }
        if (text.contains("**")) {
            throw new InvalidPatternException("\"**\" must be a whole segment (got \"" + text + "\")");
        }
        int[] units = new int[text.length()];
        int count = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '*') {
                units[count++] = STAR;
            } else if (c == '%') {
                units[count++] = decodeEscape(text, i);
                i += 2;
            } else {
                units[count++] = c;
            }
        }
        int[] compact = Arrays.copyOf(units, count);
        if (isDotSegment(compact)) {
            throw new InvalidPatternException("must not contain \".\" or \"..\" segments (request paths have them resolved)");
        }
        return new SegmentPattern(compact);
    }

    private static int decodeEscape(String text, int i) {
        int b = Percent.decodeAt(text, i, text.length());
        if (b < 0) {
            throw new InvalidPatternException("malformed percent-escape (\"%\" must be followed by two hex digits)");
        }
        // These are refused in request paths, so a glob naming them could never match anything.
        if (b == '/') {
            throw new InvalidPatternException("must not contain %2F (request paths with an encoded \"/\" are refused)");
        }
        if (b == '\\') {
            throw new InvalidPatternException("must not contain %5C (request paths with an encoded \"\\\" are refused)");
        }
        if (Percent.isControl(b)) {
            throw new InvalidPatternException("must not contain " + Percent.escape(b)
                    + " (request paths with encoded control characters are refused)");
        }
        return b;
    }

    private static boolean isDotSegment(int[] units) {
        return units.length == 1 && units[0] == '.' || units.length == 2 && units[0] == '.' && units[1] == '.';
    }

    // Greedy match with one backtrack point (the last "*"): linear in practice, never exponential.
    boolean matches(String path, int from, int to) {
        int u = 0;
        int p = from;
        int starUnit = -1;
        int starPos = -1;
        while (p < to) {
            if (u < units.length && units[u] == STAR) {
                starUnit = u++;
                starPos = p;
            } else if (u < units.length && units[u] == unitAt(path, p, to)) {
                u++;
                p += widthAt(path, p, to);
            } else if (starUnit >= 0) {
                u = starUnit + 1;
                starPos += widthAt(path, starPos, to);
                p = starPos;
            } else {
                return false;
            }
        }
        while (u < units.length && units[u] == STAR) {
            u++;
        }
        return u == units.length;
    }

    private static int unitAt(String path, int p, int to) {
        char c = path.charAt(p);
        if (c == '%') {
            int b = Percent.decodeAt(path, p, to);
            if (b >= 0) {
                return b;
            }
        }
        return c < 0x80 ? c : NON_ASCII;
    }

    private static int widthAt(String path, int p, int to) {
        return path.charAt(p) == '%' && Percent.decodeAt(path, p, to) >= 0 ? 3 : 1;
    }
}
