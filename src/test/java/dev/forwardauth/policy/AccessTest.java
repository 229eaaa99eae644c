package dev.forwardauth.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AccessTest {

    @ParameterizedTest
    @CsvSource({"anonymous, ANONYMOUS", "authenticated, AUTHENTICATED", "deny, DENY"})
    void parsesTheConfigWordsAndGivesThemBack(String word, Access access) {
        assertEquals(Optional.of(access), Access.parse(word));
        assertEquals(word, access.configName());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"Deny", "DENY", " deny", "allow", "authenticate", "public"})
    void refusesAnythingElse(String word) {
        assertEquals(Optional.empty(), Access.parse(word));
    }
}
