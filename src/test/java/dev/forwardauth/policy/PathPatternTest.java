package dev.forwardauth.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathPatternTest {

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource(delimiter = '|', textBlock = """
            /admin/**         | /admin              | true
            /admin/**         | /admin/             | true
            /admin/**         | /admin/x            | true
            /admin/**         | /admin/x/y          | true
            /admin/**         | /adminx             | false
            /admin/**         | /Admin/x            | false
            /admin/**         | /                   | false
            /public/*         | /public/a           | true
            /public/*         | /public/            | true
            /public/*         | /public/a/b         | false
            /public/*         | /public             | false
            /**               | /                   | true
            /**               | /anything/at/all/   | true
            /*                | /                   | true
            /*                | /x                  | true
            /*                | /x/y                | false
            /                 | /                   | true
            /                 | /x                  | false
            /*.css            | /site.css           | true
            /*.css            | /.css               | true
            /*.css            | /site.css/x         | false
            /*.css            | /css/site.css       | false
            /**/*.css         | /site.css           | true
            /**/*.css         | /a/b/site.css       | true
            /**/*.css         | /a/b/site.js        | false
            /a/**/b           | /a/b                | true
            /a/**/b           | /a/x/y/b            | true
            /a/**/b           | /a/x/b/c            | false
            /a/**/b/**        | /a/x/b/y/b/z        | true
            /api/*/items      | /api/v1/items       | true
            /api/*/items      | /api/v1/v2/items    | false
            /api/v*/items     | /api/v2/items       | true
            /api/v*/items     | /api/x2/items       | false
            /a*b*c            | /abc                | true
            /a*b*c            | /aXXbYYbZZc         | true
            /a*b*c            | /aXXbYYbZZ          | false
            /admin/           | /admin/             | true
            /admin/           | /admin              | false
            /admin            | /admin/             | false
            /a+b/**           | /a%2Bb/x            | true
            /a%2Bb/**         | /a+b/x              | true
            /a%2bb/**         | /a%2Bb              | true
            /caf%C3%A9/**     | /caf%C3%A9/menu     | true
            /caf%C3%A9/**     | /cafe/menu          | false
            /100%25           | /100%25             | true
            /*                | /%C3%A9             | true
            /files/%2A        | /files/*            | true
            /files/%2A        | /files/x            | false
            /users/@me:x      | /users/@me:x        | true
            """)
    void matchesNormalisedPaths(String glob, String path, boolean expected) {
        assertEquals(expected, PathPattern.compile(glob).matches(path));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            admin/**     | must start with "/" (got "admin/**")
            ''           | must start with "/" (got "")
            *.css        | must start with "/" (got "*.css")
            /a**         | "**" must be a whole segment (got "a**")
            /**.css      | "**" must be a whole segment (got "**.css")
            /a/***       | "**" must be a whole segment (got "***")
            /a?b         | must not contain "?" (only "*" and "**" are wildcards, and the query never takes part)
            /a#b         | must not contain "#" (request paths with a fragment are refused)
            /a\\b        | must not contain "\\" (request paths with "\\" are refused)
            /a;b         | must not contain ";" (request paths with path parameters are refused)
            /a/[ab]      | must not contain "[" (only "*" and "**" are wildcards)
            /a/{b,c}     | must not contain "{" (only "*" and "**" are wildcards)
            /a//b        | must not contain "//" (request paths have empty segments collapsed)
            //           | must not contain "//" (request paths have empty segments collapsed)
            /a/./b       | must not contain "." or ".." segments (request paths have them resolved)
            /a/../b      | must not contain "." or ".." segments (request paths have them resolved)
            /a/..        | must not contain "." or ".." segments (request paths have them resolved)
            /a/%2e%2e/b  | must not contain "." or ".." segments (request paths have them resolved)
            /a%zz        | malformed percent-escape ("%" must be followed by two hex digits)
            /a%4         | malformed percent-escape ("%" must be followed by two hex digits)
            /a%2f        | must not contain %2F (request paths with an encoded "/" are refused)
            /a%5C        | must not contain %5C (request paths with an encoded "\\" are refused)
            /a%00        | must not contain %00 (request paths with encoded control characters are refused)
            """)
    void refusesGlobsThatCouldNeverMatchOrMeanSomethingElse(String glob, String message) {
        // CsvSource keeps backslashes literally; "\\" in the table stands for one backslash.
        String g = glob.replace("\\\\", "\\");
        InvalidPatternException e = assertThrows(InvalidPatternException.class, () -> PathPattern.compile(g));
        assertEquals(message.replace("\\\\", "\\"), e.getMessage());
    }

    @ParameterizedTest(name = "U+{0}")
    @CsvSource({
        "0020, must not contain whitespace or control characters",
        "0009, must not contain whitespace or control characters",
        "000A, must not contain whitespace or control characters",
        "007F, must not contain whitespace or control characters",
        "00E9, 'must not contain non-ASCII characters (write them percent-encoded, as clients send them)'",
    })
    void refusesRawWhitespaceControlAndNonAscii(String hex, String message) {
        String glob = "/a" + (char) Integer.parseInt(hex, 16) + "b";
        InvalidPatternException e = assertThrows(InvalidPatternException.class, () -> PathPattern.compile(glob));
        assertEquals(message, e.getMessage());
    }

    @Test
    void messagesNeverQuoteAControlCharacter() {
        InvalidPatternException e = assertThrows(InvalidPatternException.class, () -> PathPattern.compile("admin\n/**"));
        assertEquals("must not contain whitespace or control characters", e.getMessage());
    }

    @Test
    void nullGlobIsRequired() {
        assertEquals("required", assertThrows(InvalidPatternException.class, () -> PathPattern.compile(null)).getMessage());
    }

    @Test
    void isAnIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> PathPattern.compile("x"));
    }

    @Test
    void keepsTheGlobAsWritten() {
        PathPattern pattern = PathPattern.compile("/admin/**");
        assertEquals("/admin/**", pattern.glob());
        assertEquals("/admin/**", pattern.toString());
        assertEquals(PathPattern.compile("/admin/**"), pattern);
        assertEquals(PathPattern.compile("/admin/**").hashCode(), pattern.hashCode());
        assertNotEquals(PathPattern.compile("/admin/*"), pattern);
    }

    @Test
    void neverMatchesSomethingThatIsNotANormalisedPath() {
        PathPattern all = PathPattern.compile("/**");
        assertFalse(all.matches(null));
        assertFalse(all.matches(""));
        assertFalse(all.matches("admin"));
    }

    @Test
    void manyWildcardsAgainstALongPathStayFast() {
        PathPattern pattern = PathPattern.compile("/**/a*a*a*a*b/**/**/c");
        String path = "/" + "aaaaaaaaaaaaaaaaaaaa/".repeat(380) + "d";
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertFalse(pattern.matches(path)));
    }
}
