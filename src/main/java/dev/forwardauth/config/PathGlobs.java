package dev.forwardauth.config;

import dev.forwardauth.policy.InvalidPatternException;
import dev.forwardauth.policy.PathPattern;
import java.util.Optional;

/**
 * A rule's path glob is checked by the compiler that will match it, so the config check and the running
 * policy can never disagree on what a valid glob is. Rules match the normalised path (no query or
 * fragment, "//" collapsed, "." and ".." resolved), so a glob holding any of those could never match: a
 * silent mistake that would leave a path unprotected or locked.
 */
final class PathGlobs {
    private PathGlobs() {
    }

    static Optional<String> problem(String glob) {
        try {
            PathPattern.compile(glob);
            return Optional.empty();
        } catch (InvalidPatternException e) {
            // Messages that do not already quote the offending part get the whole glob, like every other
            // config message ("..., got ...").
            String message = e.getMessage();
            return Optional.of(message.contains("(got \"") ? message : message + ", got \"" + glob + "\"");
        }
    }
}
