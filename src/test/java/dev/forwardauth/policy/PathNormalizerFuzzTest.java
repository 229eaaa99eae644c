package dev.forwardauth.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Any X-Forwarded-Uri a client can make the proxy send: the normaliser answers a path or a reason, never
 * an exception; a path never climbs above "/", has one spelling (normalising it again changes nothing) and is
 * what {@link PathModel} resolves the URI to. Seeds: PathNormalizerFuzzTestInputs (one URI per file, bytes
 * read as ISO-8859-1). `mvn verify` runs the seeds; .ci/fuzz fuzzes.
 */
class PathNormalizerFuzzTest {

    @FuzzTest
    void aNormalisedPathNeverClimbsAboveTheRootAndIsStable(byte[] input) {
        String uri = new String(input, StandardCharsets.ISO_8859_1);
        NormalizedPath result = PathNormalizer.normalize(uri);

        if (result instanceof NormalizedPath.Rejected rejected) {
            assertSafeReason(rejected);
            return;
        }
        String path = ((NormalizedPath.Valid) result).path();
        String model = PathModel.resolve(uri);
        assertNotNull(model, "accepted a path that climbs above \"/\": " + uri);
        assertEquals(model, path, uri);
        assertCanonical(path);
        assertEquals(new NormalizedPath.Valid(path), PathNormalizer.normalize(path), "not stable: " + uri);
    }

    /** One spelling per resource: what a glob is matched against, and what an upstream server serves. */
    static void assertCanonical(String path) {
        assertTrue(path.startsWith("/"), path);
        assertFalse(path.contains("//"), path);
        for (String segment : path.substring(1).split("/", -1)) {
            assertFalse(segment.equals(".") || segment.equals(".."), path);
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            assertTrue(c > 0x20 && c < 0x7F && "?#\\;".indexOf(c) < 0, "character " + (int) c + " in " + path);
            if (c == '%') {
                String hex = path.substring(i + 1, Math.min(path.length(), i + 3));
                assertTrue(hex.matches("[0-9A-F]{2}"), "escape in " + path);
                int b = Integer.parseInt(hex, 16);
                assertFalse(b < 0x20 || b == 0x7F || b == '/' || b == '\\', "escape " + hex + " in " + path);
                assertFalse(Character.isLetterOrDigit(b) && b < 0x80 || "-._~".indexOf(b) >= 0,
                        "unreserved escape " + hex + " left in " + path);
            }
        }
    }

    /** The reason goes into a 400 body and a log line: one printable line. */
    static void assertSafeReason(NormalizedPath.Rejected rejected) {
        String reason = rejected.reason();
        assertFalse(reason.isEmpty());
        assertTrue(reason.chars().allMatch(c -> c >= 0x20 && c < 0x7F), reason);
        assertTrue(rejected.message().startsWith("X-Forwarded-Uri: "), rejected.message());
    }
}
