package dev.forwardauth.policy;

import static dev.forwardauth.PropertyCheck.forAll;
import static dev.forwardauth.PropertyCheck.joined;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The normaliser and the glob matcher as properties, over inputs built from the pieces bypasses are made of
 * (dots, escaped dots and slashes, empty segments, queries, wildcards). PathNormalizerFuzzTest and
 * PathPatternFuzzTest check the same against arbitrary bytes when fuzzing.
 */
class PathPropertiesTest {

    private static final String[] URI_PIECES = {"/", "/", "/", "a", "b", ".", "..", "%2e", "%2E", "%2e%2e", "%2f",
        "%41", "%7e", "%3F", "%25", "?", ";", "#", "\\", "~", "%", "%z", "//", "/./", "/../"};

    private static String uri(Random random) {
        return "/" + joined(random, 0, 12, URI_PIECES);
    }

    @Test
    void normalisingANormalisedPathChangesNothing() {
        forAll(PathPropertiesTest::uri, uri -> {
            if (PathNormalizer.normalize(uri) instanceof NormalizedPath.Valid valid) {
                assertEquals(valid, PathNormalizer.normalize(valid.path()));
            }
        });
    }

    @Test
    void aPathIsAcceptedOnlyAsWhatItResolvesToAndNeverAboveTheRoot() {
        forAll(PathPropertiesTest::uri, uri -> {
            NormalizedPath result = PathNormalizer.normalize(uri);
            String model = PathModel.resolve(uri);
            if (model == null) {
                assertInstanceOf(NormalizedPath.Rejected.class, result);
            } else if (result instanceof NormalizedPath.Valid valid) {
                assertEquals(model, valid.path());
            }
        });
    }

    @Test
    void everyPathIsEitherAcceptedInOneSpellingOrRefusedWithAPrintableReason() {
        forAll(PathPropertiesTest::uri, uri -> {
            NormalizedPath result = PathNormalizer.normalize(uri);
            if (result instanceof NormalizedPath.Valid valid) {
                PathNormalizerFuzzTest.assertCanonical(valid.path());
            } else {
                PathNormalizerFuzzTest.assertSafeReason((NormalizedPath.Rejected) result);
            }
        });
    }

    private record GlobAndPath(String glob, String path) {
    }

    private static GlobAndPath globAndPath(Random random) {
        String glob = "/" + String.join("/", segments(random, 1, 4, "a", "b", "+", "%2B", "*", "a*", "*b", "**", "**"));
        String path = "/" + String.join("/", segments(random, 0, 5, "a", "b", "+", "%2B", "ab", "ba", "aab", "b+"));
        return new GlobAndPath(glob, random.nextInt(4) == 0 && !path.equals("/") ? path + "/" : path);
    }

    private static String[] segments(Random random, int min, int max, String... choices) {
        String[] segments = new String[min + random.nextInt(max - min + 1)];
        for (int i = 0; i < segments.length; i++) {
            segments[i] = choices[random.nextInt(choices.length)];
        }
        return segments;
    }

    @Test
    void aGlobMatchesWhatTheSegmentTableSays() {
        forAll(PathPropertiesTest::globAndPath, c ->
                assertEquals(PathModel.globMatches(c.glob(), c.path()), PathPattern.compile(c.glob()).matches(c.path()),
                        c.glob() + " against " + c.path()));
    }

    @Test
    void aGlobEndingInAnySegmentsMatchesEveryPathBelowItsPrefix() {
        forAll(PathPropertiesTest::globAndPath, c -> {
            String[] segments = c.path().substring(1).split("/", -1);
            StringBuilder prefix = new StringBuilder();
            for (int keep = 0; keep <= segments.length; keep++) {
                String glob = prefix + "/**";
                assertTrue(PathPattern.compile(glob).matches(c.path()), glob + " against " + c.path());
                if (keep < segments.length) {
                    prefix.append('/').append(segments[keep].isEmpty() ? "*" : segments[keep]);
                }
            }
        });
    }
}
