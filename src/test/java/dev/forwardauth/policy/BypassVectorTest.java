package dev.forwardauth.policy;

import static dev.forwardauth.policy.Access.ANONYMOUS;
import static dev.forwardauth.policy.Access.AUTHENTICATED;
import static dev.forwardauth.policy.TestRules.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.forwardauth.policy.NormalizedPath.Rejected;
import dev.forwardauth.policy.NormalizedPath.Valid;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

// Path tricks that got other proxies and frameworks advisories, decided end to end (normaliser, then Policy).
// Every one must either reach the path the upstream server would serve and get that path's decision, or be
// refused with 400; never match a rule loosely.
class BypassVectorTest {

    private static final Policy POLICY = Policy.compile(List.of(
                    rule(0, "/public/**", ANONYMOUS),
                    rule(1, "/private/**", List.of(), AUTHENTICATED, List.of("read:private"), List.of()),
                    rule(2, "/*.css", ANONYMOUS)),
            null, Set.of(), Set.of());

    private static final String PRIVATE = "/private: authenticated by rules[1]";

    // "path: access by rules[i]" or "400 reason", so a table row reads as the outcome.
    static String decide(String forwardedUri) {
        NormalizedPath normalized = PathNormalizer.normalize(forwardedUri);
        if (normalized instanceof Rejected rejected) {
            return "400 " + rejected.reason();
        }
        String path = ((Valid) normalized).path();
        Requirement requirement = POLICY.requirementFor("GET", path);
        String by = requirement.rule().map(r -> "rules[" + r.index() + "]").orElse("app");
        return path + ": " + requirement.access().configName() + " by " + by;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /private?x=/public                 | /private: authenticated by rules[1]
            /private?/../public                | /private: authenticated by rules[1]
            /public/../private                 | /private: authenticated by rules[1]
            /public/./../private               | /private: authenticated by rules[1]
            /public/%2e%2e/private             | /private: authenticated by rules[1]
            /public/%2E%2E/private             | /private: authenticated by rules[1]
            /public/.%2e/private               | /private: authenticated by rules[1]
            /public/%2e./private               | /private: authenticated by rules[1]
            /public/x/%2e%2e/%2E%2E/private    | /private: authenticated by rules[1]
            //private                          | /private: authenticated by rules[1]
            ///private///x                     | /private/x: authenticated by rules[1]
            /%70rivate                         | /private: authenticated by rules[1]
            /%70%72%69%76%61%74%65/x           | /private/x: authenticated by rules[1]
            /private                           | /private: authenticated by rules[1]
            /private/                          | /private/: authenticated by rules[1]
            /public                            | /public: anonymous by rules[0]
            /public/%252e%252e/private         | /public/%252e%252e/private: anonymous by rules[0]
            /public/.../private                | /public/.../private: anonymous by rules[0]
            /public/%3B/../private             | /public/private: anonymous by rules[0]
            /privatex                          | /privatex: authenticated by app
            /PUBLIC                            | /PUBLIC: authenticated by app
            /PRIVATE                           | /PRIVATE: authenticated by app
            /Private/x                         | /Private/x: authenticated by app
            /private/site.css                  | /private/site.css: authenticated by rules[1]
            /site.css                          | /site.css: anonymous by rules[2]
            /private/../site.css               | /site.css: anonymous by rules[2]
            """)
    void resolvesToThePathTheServerServes(String forwardedUri, String outcome) {
        assertEquals(outcome, decide(forwardedUri));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /public%2fprivate                  | 400 encoded "/" (%2F) is not allowed in a path
            /public%2F..%2Fprivate             | 400 encoded "/" (%2F) is not allowed in a path
            /public/..%2fprivate               | 400 encoded "/" (%2F) is not allowed in a path
            /public;/private                   | 400 ";" (a path parameter) is not allowed in a path
            /public/..;/private                | 400 ";" (a path parameter) is not allowed in a path
            /public;jsessionid=x/../private    | 400 ";" (a path parameter) is not allowed in a path
            /private;.css                      | 400 ";" (a path parameter) is not allowed in a path
            /public#/../private                | 400 "#" is not allowed in a path
            /public/%2E%2E/%2e%2e/private      | 400 ".." climbs above "/"
            /..                                | 400 ".." climbs above "/"
            /../private                        | 400 ".." climbs above "/"
            /%2e%2e/private                    | 400 ".." climbs above "/"
            /private//../public                | 400 ".." after an empty segment ("//") is not allowed in a path
            /public\\..\\private               | 400 "\\" is not allowed in a path
            /public/..\\private                | 400 "\\" is not allowed in a path
            /public%5c..%5cprivate             | 400 encoded "\\" (%5C) is not allowed in a path
            /public/%5C../private              | 400 encoded "\\" (%5C) is not allowed in a path
            /private%00.css                    | 400 encoded control character (%00) is not allowed in a path
            /public/%00/../private             | 400 encoded control character (%00) is not allowed in a path
            /private%0a.css                    | 400 encoded control character (%0A) is not allowed in a path
            /public/%2g%2e/private             | 400 malformed percent-escape ("%" must be followed by two hex digits)
            /public/%%32%65%%32%65/private     | 400 malformed percent-escape ("%" must be followed by two hex digits)
            /public/%u002e%u002e/private       | 400 malformed percent-escape ("%" must be followed by two hex digits)
            public/../private                  | 400 must start with "/"
            http://host/private                | 400 must start with "/"
            """)
    void refusesWhatServersReadDifferently(String forwardedUri, String outcome) {
        // CsvSource keeps backslashes literally; "\\" in the table stands for one backslash.
        assertEquals(outcome.replace("\\\\", "\\"), decide(forwardedUri.replace("\\\\", "\\")));
    }

    @Test
    void rawNulIsRefused() {
        assertEquals("400 control character is not allowed in a path", decide("/private\u0000.css"));
    }

    @Test
    void rawNonAsciiLookalikeIsRefused() {
        // U+FF50 FULLWIDTH LATIN SMALL LETTER P: some stacks fold it to "p" after we looked.
        assertEquals("400 non-ASCII character is not allowed in a path (clients send it percent-encoded)",
                decide("/\uff50rivate"));
    }

    @Test
    void overLongPathIsRefused() {
        assertEquals("400 path longer than 8192 characters", decide("/public/" + "a".repeat(9000)));
        assertEquals("400 path longer than 8192 characters", decide("/public/" + "x/../".repeat(2000) + "private"));
    }

    @Test
    void longQueryDoesNotMakeAPathTooLong() {
        assertEquals(PRIVATE, decide("/private?" + "q".repeat(20_000)));
    }
}
