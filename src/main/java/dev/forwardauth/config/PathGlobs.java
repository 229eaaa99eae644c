package dev.forwardauth.config;

import java.util.Optional;

/**
 * The syntax of a rule's path glob. Rules match the normalised path (no query or fragment, "//"
 * collapsed, "." and ".." resolved), so a glob holding any of those could never match: it is a mistake,
 * and a silent one would leave a path unprotected or locked. Kept in this one place so the policy
 * compiler can take it over.
 */
final class PathGlobs {
    private PathGlobs() {
    }

    static Optional<String> problem(String glob) {
        String why = reason(glob);
        return why == null ? Optional.empty() : Optional.of(why + ", got \"" + glob + "\"");
    }

    private static String reason(String glob) {
        if (!glob.startsWith("/")) {
            return "must start with \"/\"";
        }
        for (char c : new char[] {'?', '#', ';', '\\'}) {
            if (glob.indexOf(c) >= 0) {
                return "must not contain \"" + c + "\" (rules match the path alone, without query,"
                        + " fragment or parameters)";
            }
        }
        if (glob.contains("//")) {
            return "must not contain \"//\" (paths are matched with \"//\" collapsed)";
        }
        for (String segment : glob.substring(1).split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return "must not contain \".\" or \"..\" segments (paths are matched with them resolved)";
            }
            if (segment.contains("**") && !segment.equals("**")) {
                return "may use \"**\" only as a whole segment, as in /a/**/b";
            }
        }
        return null;
    }
}
