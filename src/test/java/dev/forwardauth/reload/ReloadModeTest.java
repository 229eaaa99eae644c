package dev.forwardauth.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The values of {@code forwardauth.reload} (docs/configuration.md, Live reload). */
class ReloadModeTest {
    @ParameterizedTest
    @CsvSource(value = {"watch, WATCH", "signal, SIGNAL", "off, OFF", "' Off ', OFF", "'', WATCH", "NULL, WATCH"},
            nullValues = "NULL")
    void valuesAndTheDefault(String value, ReloadMode mode) {
        assertEquals(mode, ReloadMode.parse(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sometimes", "false", "no", "watch,signal"})
    void anyOtherValueIsRefusedNamingTheSettingAndTheChoices(String value) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ReloadMode.parse(value));

        assertEquals("forwardauth.reload: must be one of watch, signal, off, got \"" + value + "\"",
                refused.getMessage());
    }
}
