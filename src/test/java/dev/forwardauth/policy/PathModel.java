package dev.forwardauth.policy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * What PathNormalizer and PathPattern must answer, written the slow and obvious way from SPEC section 3
 * (a stack of segments; a table of which glob segments match which path segments), without the tricks the
 * real ones use for speed (one scan, greedy matching with one backtrack point). The fuzz and property tests
 * hold the real ones to this model.
 */
final class PathModel {

    private PathModel() {
    }

    /**
     * The path a URI resolves to: query dropped, unreserved escapes decoded and other escapes in upper case,
     * empty and "." segments dropped, ".." removing the segment before it; a trailing "/", ".", ".." or empty
     * segment keeps the path a directory. Null when a ".." would climb above "/".
     */
    static String resolve(String uri) {
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        String[] segments = path.substring(1).split("/", -1);
        Deque<String> kept = new ArrayDeque<>();
        boolean directory = false;
        for (int i = 0; i < segments.length; i++) {
            String segment = canonicalEscapes(segments[i]);
            boolean last = i == segments.length - 1;
            directory = last && (segment.isEmpty() || segment.equals(".") || segment.equals(".."));
            if (segment.equals("..")) {
                if (kept.isEmpty()) {
                    return null;
                }
                kept.removeLast();
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                kept.addLast(segment);
            }
        }
        String resolved = "/" + String.join("/", kept);
        return directory && !kept.isEmpty() ? resolved + "/" : resolved;
    }

    private static String canonicalEscapes(String segment) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%' && isHex(segment, i + 1) && isHex(segment, i + 2)) {
                int b = Integer.parseInt(segment.substring(i + 1, i + 3), 16);
                boolean unreserved = Character.isLetterOrDigit(b) && b < 0x80 || "-._~".indexOf(b) >= 0;
                out.append(unreserved ? String.valueOf((char) b) : "%" + String.format("%02X", b));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isHex(String s, int i) {
        return i < s.length() && Character.digit(s.charAt(i), 16) >= 0 && s.charAt(i) < 0x80;
    }

    /**
     * Whether a glob matches a normalised path: "**" stands for any number of whole segments (none too),
     * every other glob segment matches exactly one path segment, "*" any run of characters within it. Both
     * sides compare decoded, byte by byte.
     */
    static boolean globMatches(String glob, String path) {
        String[] globSegments = glob.substring(1).split("/", -1);
        String[] pathSegments = path.substring(1).split("/", -1);
        // matches[g][p]: globSegments[g..] matches pathSegments[p..].
        boolean[][] matches = new boolean[globSegments.length + 1][pathSegments.length + 1];
        matches[globSegments.length][pathSegments.length] = true;
        for (int g = globSegments.length - 1; g >= 0; g--) {
            for (int p = pathSegments.length; p >= 0; p--) {
                if (globSegments[g].equals("**")) {
                    matches[g][p] = matches[g + 1][p] || p < pathSegments.length && matches[g][p + 1];
                } else {
                    matches[g][p] = p < pathSegments.length && matches[g + 1][p + 1]
                            && segmentMatches(units(globSegments[g], true), units(pathSegments[p], false));
                }
            }
        }
        return matches[0][0];
    }

    private static final int STAR = -1;

    private static boolean segmentMatches(int[] glob, int[] path) {
        // matches[g][p]: glob[g..] matches path[p..].
        boolean[][] matches = new boolean[glob.length + 1][path.length + 1];
        matches[glob.length][path.length] = true;
        for (int g = glob.length - 1; g >= 0; g--) {
            for (int p = path.length; p >= 0; p--) {
                matches[g][p] = glob[g] == STAR
                        ? matches[g + 1][p] || p < path.length && matches[g][p + 1]
                        : p < path.length && glob[g] == path[p] && matches[g + 1][p + 1];
            }
        }
        return matches[0][0];
    }

    /** The bytes a segment stands for ("%2B" and "+" alike); in a glob, "*" is STAR. */
    private static int[] units(String segment, boolean glob) {
        List<Integer> units = new ArrayList<>();
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%' && isHex(segment, i + 1) && isHex(segment, i + 2)) {
                units.add(Integer.parseInt(segment.substring(i + 1, i + 3), 16));
                i += 2;
            } else if (glob && c == '*') {
                units.add(STAR);
            } else {
                units.add((int) c);
            }
        }
        return units.stream().mapToInt(Integer::intValue).toArray();
    }
}
