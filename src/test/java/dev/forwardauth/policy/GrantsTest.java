package dev.forwardauth.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GrantsTest {

    static Stream<Arguments> scopeClaims() {
        return Stream.of(
                Arguments.of("scope string", "openid read:items write:items", null, Set.of("openid", "read:items", "write:items")),
                Arguments.of("repeated spaces", "  a   b ", null, Set.of("a", "b")),
                Arguments.of("empty scope", "", null, Set.of()),
                Arguments.of("scp string", null, "read:items write:items", Set.of("read:items", "write:items")),
                Arguments.of("scp list", null, List.of("read:items", "write:items"), Set.of("read:items", "write:items")),
                Arguments.of("scp array", null, new String[] {"read:items"}, Set.of("read:items")),
                Arguments.of("scope list", List.of("a", "b"), null, Set.of("a", "b")),
                Arguments.of("both claims", "a b", List.of("b", "c"), Set.of("a", "b", "c")),
                Arguments.of("tab is not a separator", "a\tb", null, Set.of("a\tb")),
                Arguments.of("number", 42, 7L, Set.of()),
                Arguments.of("object", Map.of("a", "b"), Map.of(), Set.of()),
                Arguments.of("boolean", true, false, Set.of()),
                Arguments.of("list of non-strings", List.of(1, Map.of(), List.of("nested")), Arrays.asList("ok", null, " "),
                        Set.of("ok")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scopeClaims")
    void readsScopesFromEveryShapeIdpsSend(String shape, Object scope, Object scp, Set<String> expected) {
        assertEquals(expected, Grants.fromClaims(scope, scp, null).scopes());
    }

    static Stream<Arguments> permissionClaims() {
        return Stream.of(
                Arguments.of("list", List.of("read:items", "delete:items"), Set.of("read:items", "delete:items")),
                Arguments.of("set", Set.of("read:items"), Set.of("read:items")),
                Arguments.of("array", new Object[] {"read:items", 3}, Set.of("read:items")),
                Arguments.of("string is not a list", "read:items delete:items", Set.of()),
                Arguments.of("number", 1, Set.of()),
                Arguments.of("object", Map.of("read", "items"), Set.of()),
                Arguments.of("null", null, Set.of()),
                Arguments.of("list with junk", Arrays.asList("a", null, 2, List.of("b"), ""), Set.of("a")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("permissionClaims")
    void readsPermissionsOnlyFromLists(String shape, Object permissions, Set<String> expected) {
        assertEquals(expected, Grants.fromClaims(null, null, permissions).permissions());
    }

    @Test
    void scopesAndPermissionsStaySeparate() {
        Grants grants = Grants.fromClaims("read:items", null, List.of("delete:items"));

        assertEquals(new Grants(Set.of("read:items"), Set.of("delete:items")), grants);
    }

    @Test
    void nothingGrantsNothing() {
        assertEquals(Grants.NONE, Grants.fromClaims(null, null, null));
    }
}
