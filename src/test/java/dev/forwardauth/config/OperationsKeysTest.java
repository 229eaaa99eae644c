package dev.forwardauth.config;

import static dev.forwardauth.config.TestConfigs.valid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The top-level keys of docs/operations.md: {@code metrics} and {@code decision-log}. */
class OperationsKeysTest {

    @Test
    void metricsAreOnAndEveryDecisionIsLoggedByDefault() {
        ForwardAuthConfig config = valid().load();
        assertTrue(config.metrics());
        assertEquals(DecisionLogLevel.ALL, config.decisionLog());
    }

    @Test
    void metricsCanBeTurnedOff() {
        assertFalse(valid().with("metrics", false).load().metrics());
    }

    @ParameterizedTest
    @CsvSource({"all, ALL", "denied, DENIED", "off, OFF"})
    void decisionLogTakesItsThreeLevels(String written, DecisionLogLevel level) {
        assertEquals(level, valid().with("decision-log", written).load().decisionLog());
    }

    @Test
    void anyOtherDecisionLogLevelIsNamedInTheProblem() {
        valid().with("decision-log", "ALL").assertProblems(
                "decision-log: must be one of all, denied, off, got \"ALL\"");
        valid().with("decision-log", "info").assertProblems(
                "decision-log: must be one of all, denied, off, got \"info\"");
    }

    @Test
    void metricsIsABoolean() {
        valid().with("metrics", "yes").assertProblems("metrics: must be true or false, got a string");
    }

    @Test
    void nullMeansTheDefault() {
        ForwardAuthConfig config = valid().with("metrics", null).with("decision-log", null).load();
        assertTrue(config.metrics());
        assertEquals(DecisionLogLevel.ALL, config.decisionLog());
    }
}
