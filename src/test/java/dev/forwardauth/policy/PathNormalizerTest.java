package dev.forwardauth.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.forwardauth.policy.NormalizedPath.Rejected;
import dev.forwardauth.policy.NormalizedPath.Valid;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PathNormalizerTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /                              | /
            /api/items/42                  | /api/items/42
            /api/items/42?x=1              | /api/items/42
            /api/items/42?x=/../admin#f    | /api/items/42
            /?                             | /
            /admin/                        | /admin/
            /a/./b                         | /a/b
            /a/b/../c                      | /a/c
            /a/b/..                        | /a/
            /a/b/.                         | /a/b/
            /a/..                          | /
            /.                             | /
            /a/./                          | /a/
            //a                            | /a
            /a//b                          | /a/b
            /a///b//                       | /a/b/
            //                             | /
            /public/%2e%2e/private         | /private
            /public/%2E%2E/private         | /private
            /public/.%2e/private           | /private
            /a/%2e/b                       | /a/b
            /%70rivate                     | /private
            /%41%5a%61%7a%30%39%2D%2E%5F%7E | /AZaz09-._~
            /caf%c3%a9                     | /caf%C3%A9
            /a%2bb                         | /a%2Bb
            /a%3bb                         | /a%3Bb
            /a%3Fb%23c                     | /a%3Fb%23c
            /files/%252e%252e/x            | /files/%252e%252e/x
            /a/.../b                       | /a/.../b
            /a/..b/c                       | /a/..b/c
            /site.css                      | /site.css
            /users/@me:search!$&'()*+,=    | /users/@me:search!$&'()*+,=
            /a%2e                          | /a.
            /a%20b                         | /a%20b
            """)
    void normalisesTheWayServersResolve(String forwardedUri, String expected) {
        assertEquals(new Valid(expected), PathNormalizer.normalize(forwardedUri));
    }

    @ParameterizedTest(name = "{0} is refused")
    @CsvSource(delimiter = '|', textBlock = """
            api/items                | must start with "/"
            ''                       | must start with "/"
            ?x=1                     | must start with "/"
            http://evil/             | must start with "/"
            /..                      | ".." climbs above "/"
            /a/../..                 | ".." climbs above "/"
            /%2e%2e/private          | ".." climbs above "/"
            /public/%2E%2E/%2e%2e/private | ".." climbs above "/"
            //..                     | ".." after an empty segment ("//") is not allowed in a path
            /private//../public      | ".." after an empty segment ("//") is not allowed in a path
            /a//b/%2e%2e/c           | ".." after an empty segment ("//") is not allowed in a path
            /public%2fprivate        | encoded "/" (%2F) is not allowed in a path
            /public%2Fprivate        | encoded "/" (%2F) is not allowed in a path
            /public%5cprivate        | encoded "\\" (%5C) is not allowed in a path
            /public\\private         | "\\" is not allowed in a path
            /public;/private         | ";" (a path parameter) is not allowed in a path
            /public/..;/private      | ";" (a path parameter) is not allowed in a path
            /public#/../private      | "#" is not allowed in a path
            /a%zz                    | malformed percent-escape ("%" must be followed by two hex digits)
            /a%4                     | malformed percent-escape ("%" must be followed by two hex digits)
            /a%                      | malformed percent-escape ("%" must be followed by two hex digits)
            /a%4?1                   | malformed percent-escape ("%" must be followed by two hex digits)
            /a%4/b                   | malformed percent-escape ("%" must be followed by two hex digits)
            /a%00                    | encoded control character (%00) is not allowed in a path
            /a%0d%0aX-Evil:1         | encoded control character (%0D) is not allowed in a path
            /a%7f                    | encoded control character (%7F) is not allowed in a path
            """)
    void refusesWhatServersReadDifferently(String forwardedUri, String reason) {
        // CsvSource keeps backslashes literally; "\\" in the table stands for one backslash.
        String uri = forwardedUri.replace("\\\\", "\\");
        assertEquals(new Rejected(reason.replace("\\\\", "\\")), PathNormalizer.normalize(uri));
    }

    @ParameterizedTest(name = "character U+{0} is refused")
    @CsvSource(delimiter = '|', textBlock = """
            0000 | control character is not allowed in a path
            0009 | control character is not allowed in a path
            000A | control character is not allowed in a path
            000D | control character is not allowed in a path
            007F | control character is not allowed in a path
            0020 | space is not allowed in a path
            00E9 | non-ASCII character is not allowed in a path (clients send it percent-encoded)
            FF50 | non-ASCII character is not allowed in a path (clients send it percent-encoded)
            """)
    void refusesRawCharactersNoClientSendsUnescaped(String hex, String reason) {
        char c = (char) Integer.parseInt(hex, 16);
        assertEquals(new Rejected(reason), PathNormalizer.normalize("/private" + c + "x"));
    }

    @Test
    void nullIsRefusedAsMissing() {
        assertEquals(new Rejected("required"), PathNormalizer.normalize(null));
    }

    @Test
    void messageNamesTheHeader() {
        Rejected rejected = (Rejected) PathNormalizer.normalize("/a%2fb");
        assertEquals("X-Forwarded-Uri: encoded \"/\" (%2F) is not allowed in a path", rejected.message());
    }

    @Test
    void charactersInTheQueryAreNeverLookedAt() {
        assertEquals(new Valid("/a"), PathNormalizer.normalize("/a?b=%zz;\\#\u00e9 %2f"));
    }

    @Test
    void plainPathWithoutQueryIsReturnedAsIs() {
        String uri = "/api/items/42";
        assertSame(uri, ((Valid) PathNormalizer.normalize(uri)).path());
    }

    @Test
    void pathUpToTheLimitIsAccepted() {
        String uri = "/" + "a".repeat(PathNormalizer.MAX_PATH_LENGTH - 1);
        assertEquals(new Valid(uri), PathNormalizer.normalize(uri + "?" + "q".repeat(20_000)));
    }

    @Test
    void overLongPathIsRefused() {
        String uri = "/" + "a/".repeat(PathNormalizer.MAX_PATH_LENGTH / 2);
        assertEquals(new Rejected("path longer than 8192 characters"), PathNormalizer.normalize(uri));
    }

    @Test
    void deepDotSegmentsResolveWithoutOverflow() {
        String uri = "/a".repeat(1000) + "/..".repeat(1000) + "/x";
        assertEquals(new Valid("/x"), PathNormalizer.normalize(uri));
    }
}
