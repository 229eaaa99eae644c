package dev.forwardauth.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Any glob a config can hold against any path a client can send: a glob compiles or is refused with
 * InvalidPatternException (a one-line message for --check-config); a compiled glob matches exactly the
 * normalised paths {@link PathModel} says it does, and a deny rule made of it denies exactly those. Input:
 * the glob, a newline, the X-Forwarded-Uri (ISO-8859-1); seeds in PathPatternFuzzTestInputs.
 */
class PathPatternFuzzTest {

    @FuzzTest
    void aGlobMatchesExactlyThePathsItDescribes(byte[] input) {
        String text = new String(input, StandardCharsets.ISO_8859_1);
        int newline = text.indexOf('\n');
        String glob = newline < 0 ? text : text.substring(0, newline);
        String uri = newline < 0 ? "/" : text.substring(newline + 1);

        PathPattern pattern = compileOrNull(glob);
        NormalizedPath normalized = PathNormalizer.normalize(uri);
        if (pattern != null) {
            pattern.matches(uri); // any string at all: an answer, never an exception
        }
        if (!(normalized instanceof NormalizedPath.Valid valid)) {
            return;
        }
        String path = valid.path();
        if (pattern != null) {
            boolean expected = PathModel.globMatches(glob, path);
            assertEquals(expected, pattern.matches(path), glob + " against " + path);
            Requirement requirement = Policy.compile(
                    List.of(new Rule(0, pattern, Set.of(), Access.DENY, Set.of(), Set.of())), null, Set.of(), Set.of())
                    .requirementFor("GET", path);
            assertEquals(expected ? Access.DENY : Access.AUTHENTICATED, requirement.access(), glob + " " + path);
        }
        // The path itself, as a glob, describes at least that path.
        PathPattern literal = compileOrNull(path);
        if (literal != null) {
            assertTrue(literal.matches(path), path);
        }
    }

    private static PathPattern compileOrNull(String glob) {
        try {
            return PathPattern.compile(glob);
        } catch (InvalidPatternException e) {
            String message = e.getMessage();
            assertTrue(!message.isEmpty() && message.chars().allMatch(c -> c >= 0x20 && c < 0x7F), message);
            return null;
        }
    }
}
