package dev.forwardauth.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RequestIdsTest {
    private final RequestIds ids = new RequestIds();

    @ParameterizedTest
    @ValueSource(strings = {"0b4c6a3e9f2d4e1a8c7b6a5d4e3f2a1b", "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
        "Root=1-67891233-abcdef012345678912345678", "abc_DEF.1:2+3/4=5@6"})
    void aPlainIdFromTheProxyIsKept(String fromProxy) {
        assertEquals(fromProxy, ids.of(fromProxy));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "two words", "quote\"d", "line\nbreak", "semi;colon", "caf\u00e9"})
    void anythingElseIsReplaced(String fromProxy) {
        String id = ids.of(fromProxy);
        assertNotEquals(fromProxy, id);
        assertTrue(RequestIds.isSane(id), id);
    }

    @Test
    void tooLongIsReplacedSoThatATokenIsNeverTakenForAnId() {
        String jwtShaped = "eyJhbGciOiJSUzI1NiJ9." + "eyJzdWIiOiJhbGljZSJ9".repeat(6) + ".c2lnbmF0dXJl";
        assertTrue(jwtShaped.length() > RequestIds.MAX_LENGTH);
        assertNotEquals(jwtShaped, ids.of(jwtShaped));
        String longest = "a".repeat(RequestIds.MAX_LENGTH);
        assertEquals(longest, ids.of(longest));
    }

    @Test
    void madeUpIdsAreDistinctAndShareThisInstancesPrefix() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertTrue(seen.add(ids.of(null)));
        }
        String first = seen.iterator().next();
        String prefix = first.substring(0, first.indexOf('-') + 1);
        assertEquals(9, prefix.length());
        assertTrue(seen.stream().allMatch(id -> id.startsWith(prefix)));
        assertNotEquals(prefix, new RequestIds().of(null).substring(0, 9), "another start, another prefix");
    }
}
