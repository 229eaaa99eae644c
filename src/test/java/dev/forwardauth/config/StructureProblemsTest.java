package dev.forwardauth.config;

import static dev.forwardauth.config.TestConfigs.list;
import static dev.forwardauth.config.TestConfigs.object;
import static dev.forwardauth.config.TestConfigs.valid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StructureProblemsTest {

    @Test
    void unknownKeyCloseToAKnownOneSaysWhichWasMeant() {
        valid().with("apps[0].clientid", "x").assertProblems(
                "apps[0].clientid: unknown key (did you mean \"client-id\"?)");
    }

    @Test
    void springStyleSpellingsPointToTheKebabCaseKey() {
        valid().with("apps[0].redirect_uri", "x").with("nonceMaxAge", 60).assertProblems(
                "apps[0].redirect_uri: unknown key (did you mean \"redirect-uri\"?)",
                "nonceMaxAge: unknown key (did you mean \"nonce-max-age\"?)");
    }

    @Test
    void unknownKeyFarFromEveryKnownOneListsTheAllowedKeys() {
        valid().with("apps[0].rules", list(object("path", "/x", "verbs", list("GET")))).assertProblems(
                "apps[0].rules[0].verbs: unknown key (allowed: path, methods, allow, required-scopes,"
                        + " required-permissions)");
    }

    @Test
    void aShortUnknownKeyIsMatchedToAKnownOneOnlyOneTypoAway() {
        // "rulz" is two edits from "rules": for a key of four letters that is too far to guess.
        valid().with("apps[0].rulz", list()).assertProblems("apps[0].rulz: unknown key (allowed: name, client-id,"
                + " client-secret, audience, scope, redirect-uri, token-cookie-domain, return-to, restricted-methods,"
                + " required-permissions, required-scopes, claims, rules, allow-basic)");
        valid().with("apps[0].rule", list()).assertProblems("apps[0].rule: unknown key (did you mean \"rules\"?)");
    }

    @Test
    void aKeyOfOnlySeparatorsIsNotMistakenForAnyKey() {
        valid().with("-", "x").assertProblems("-: unknown key (allowed: domain, authorize-url, token-endpoint,"
                + " userinfo-endpoint, logout-endpoint, jwks-uri, idp-connect-timeout, idp-read-timeout,"
                + " idp-max-concurrent-calls, nonce-max-age, trusted-proxies, session-secret, session-max-age,"
                + " status-permission, default, apps, metrics, decision-log)");
    }

    @Test
    void keyInTheWrongPlaceSaysWhereItBelongs() {
        valid().with("redirect-uri", "https://app.example.com/signin").with("apps[0].path", "/x")
                .with("apps[0].rules", list(object("path", "/x", "claims", list("sub")))).assertProblems(
                "apps[0].rules[0].claims: unknown key here (it belongs in \"default\" or an app)",
                "apps[0].path: unknown key here (it belongs in a rule)",
                "redirect-uri: unknown key here (it belongs in \"default\" or an app)");
    }

    @Test
    void unknownTopLevelKeyListsTheTopLevelKeys() {
        valid().with("listen", ":8080").assertProblems(
                "listen: unknown key (allowed: domain, authorize-url, token-endpoint, userinfo-endpoint,"
                        + " logout-endpoint, jwks-uri, idp-connect-timeout, idp-read-timeout,"
                        + " idp-max-concurrent-calls, nonce-max-age, trusted-proxies, session-secret,"
                        + " session-max-age, status-permission, default, apps, metrics, decision-log)");
    }

    @Test
    void stringWhereANumberBelongsIsAWrongType() {
        valid().with("nonce-max-age", "300").assertProblems("nonce-max-age: must be a whole number, got a string");
    }

    @Test
    void fractionWhereAWholeNumberBelongsIsNamed() {
        valid().with("session-max-age", 1.5).assertProblems("session-max-age: must be a whole number, got 1.5");
    }

    @Test
    void numberTooLargeForSecondsIsNamed() {
        valid().with("session-max-age", new java.math.BigInteger("99999999999999999999")).assertProblems(
                "session-max-age: must be from 1 to 31536000 seconds, got 99999999999999999999");
    }

    @Test
    void numbersBeyondWhatJavaCanReadAreReportedAtTheirPathsAndTheCheckGoesOn() {
        assertEquals(List.of(
                "nonce-max-age: must be a whole number, got 1e-99999999999",
                "session-max-age: must be from 1 to 31536000 seconds, got 1e99999999999",
                "apps[0].client-id: must be a string, got a number"),
                problemsOfText(valid().with("apps[0].client-id", 1).json()
                        .replaceFirst("^\\{", "{\"nonce-max-age\": 1e-99999999999, \"session-max-age\": 1e99999999999, ")));
    }

    @Test
    void aNumberOfTwoHundredThousandDigitsIsReportedShortly() {
        assertEquals(List.of("session-max-age: must be from 1 to 31536000 seconds,"
                        + " got 99999999999999999999... (a number of 200000 characters)"),
                problemsOfText(valid().json().replaceFirst("^\\{", "{\"session-max-age\": " + "9".repeat(200_000) + ", ")));
    }

    @Test
    void aHugeExponentIsNeverExpandedIntoDigits() {
        assertEquals(List.of("nonce-max-age: must be from 1 to 86400 seconds, got 1e999999999"),
                assertTimeoutPreemptively(Duration.ofSeconds(5), () -> problemsOfText(
                        valid().json().replaceFirst("^\\{", "{\"nonce-max-age\": 1e999999999, "))));
    }

    @Test
    void aNumberWholeInValueIsAWholeNumberHoweverItIsWritten() {
        ForwardAuthConfig config = valid().with("nonce-max-age", new BigDecimal("1E+2"))
                .with("session-max-age", new BigDecimal("5.0")).with("idp-read-timeout", new BigDecimal("0.7e1")).load();
        assertEquals(Duration.ofSeconds(100), config.nonceMaxAge());
        assertEquals(Duration.ofSeconds(5), config.sessionMaxAge());
        assertEquals(Duration.ofSeconds(7), config.idpLimits().readTimeout());
    }

    @Test
    void aFractionIsNamedAsWritten() {
        assertEquals(List.of("nonce-max-age: must be a whole number, got 1.5e0"),
                problemsOfText(valid().json().replaceFirst("^\\{", "{\"nonce-max-age\": 1.5e0, ")));
    }

    private static List<String> problemsOfText(String json) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.parse(json, "test.json", name -> null)).problems();
    }

    @Test
    void stringWhereAListBelongsIsAWrongType() {
        valid().with("apps[0].restricted-methods", "POST").assertProblems(
                "apps[0].restricted-methods: must be an array, got a string");
    }

    @Test
    void wrongListElementIsReportedAtItsIndex() {
        valid().with("apps[0].rules", list(object("path", "/x", "methods", list("GET", 5)))).assertProblems(
                "apps[0].rules[0].methods[1]: must be a string, got a number");
    }

    @Test
    void nullListElementIsAWrongType() {
        valid().with("trusted-proxies", list("10.0.0.0/8", null)).assertProblems(
                "trusted-proxies[1]: must be a string, got null");
    }

    @Test
    void nonObjectWhereSettingsBelongIsAWrongType() {
        valid().with("apps[1]", list()).with("default", "none").assertProblems(
                "default: must be an object, got a string",
                "apps[1]: must be an object, got an array");
    }

    @Test
    void nonBooleanFlagIsAWrongType() {
        valid().with("apps[0].allow-basic", "yes").assertProblems(
                "apps[0].allow-basic: must be true or false, got a string");
    }

    @Test
    void objectWhereAStringBelongsIsAWrongType() {
        valid().with("apps[0].audience", object("id", "x")).assertProblems(
                "apps[0].audience: must be a string, got an object");
    }

    @Test
    void jsonNullMeansUnset() {
        valid().with("domain", null).with("nonce-max-age", null).assertProblems("domain: required");
    }

    @Test
    void unsetEnvironmentVariableIsNamed() {
        valid().with("apps[0].client-secret", "${CLIENT_SECRET}").assertProblems(
                "apps[0].client-secret: environment variable CLIENT_SECRET is not set");
    }

    @Test
    void valueOfTheWrongTypeIsReportedOnceNotAlsoAsMissing() {
        valid().with("apps[0].client-id", 42).assertProblems("apps[0].client-id: must be a string, got a number");
    }

    @Test
    void badElementKeepsTheIndicesOfTheOthers() {
        valid().with("apps[1]", "oops").with("apps[2]", TestConfigs.app("b.example.com"))
                .with("apps[2].audience", null)
                .assertProblems("apps[1]: must be an object, got a string", "apps[2].audience: required");
    }
}
