package dev.forwardauth.config;

import static dev.forwardauth.config.TestConfigs.list;
import static dev.forwardauth.config.TestConfigs.object;
import static dev.forwardauth.config.TestConfigs.valid;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuleProblemsTest {

    private static TestConfigs withRule(Object... keysAndValues) {
        return valid().with("apps[0].rules", list(object("path", "/ok/**"), object(keysAndValues)));
    }

    @Test
    void ruleNeedsAPath() {
        withRule("allow", "deny").assertProblems("apps[0].rules[1].path: required");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "admin/**      | must start with \"/\"",
        "/admin**      | may use \"**\" only as a whole segment, as in /a/**/b",
        "/a/***/b      | may use \"**\" only as a whole segment, as in /a/**/b",
        "/search?q=*   | must not contain \"?\" (rules match the path alone, without query, fragment or parameters)",
        "/page#top     | must not contain \"#\" (rules match the path alone, without query, fragment or parameters)",
        "/a;jsessionid | must not contain \";\" (rules match the path alone, without query, fragment or parameters)",
        "/a\\b         | must not contain \"\\\" (rules match the path alone, without query, fragment or parameters)",
        "/a//b         | must not contain \"//\" (paths are matched with \"//\" collapsed)",
        "/a/./b        | must not contain \".\" or \"..\" segments (paths are matched with them resolved)",
        "/a/..         | must not contain \".\" or \"..\" segments (paths are matched with them resolved)"})
    void pathMustBeAGlobOnTheNormalisedPath(String glob, String message) {
        withRule("path", glob).assertProblems("apps[0].rules[1].path: " + message + ", got \"" + glob + "\"");
    }

    @Test
    void allowMustBeOneOfThreeWords() {
        withRule("path", "/x", "allow", "public").assertProblems(
                "apps[0].rules[1].allow: must be one of anonymous, authenticated, deny, got \"public\"");
    }

    @Test
    void ruleMethodsAreCheckedLikeRestrictedMethods() {
        withRule("path", "/x", "methods", list("GET", "post")).assertProblems(
                "apps[0].rules[1].methods[1]: must be upper case (HTTP methods are case-sensitive):"
                        + " use \"POST\", got \"post\"");
    }

    @Test
    void anonymousOrDenyRuleCannotRequireScopesOrPermissions() {
        withRule("path", "/x", "allow", "anonymous", "required-scopes", list("read")).assertProblems(
                "apps[0].rules[1].required-scopes: must be empty when allow is \"anonymous\""
                        + " (such a rule never checks the token)");
        withRule("path", "/x", "allow", "deny", "required-permissions", list("admin")).assertProblems(
                "apps[0].rules[1].required-permissions: must be empty when allow is \"deny\""
                        + " (such a rule never checks the token)");
    }

    @Test
    void ruleRequirementsAreSingleWords() {
        withRule("path", "/x", "required-scopes", list("a b")).assertProblems(
                "apps[0].rules[1].required-scopes[0]: must be one non-empty word without spaces, got \"a b\"");
    }

    @Test
    void defaultRulesAreReportedUnderDefault() {
        valid().with("default", TestConfigs.defaults()).with("default.rules", list(object("path", "x")))
                .assertProblems("default.rules[0].path: must start with \"/\", got \"x\"");
    }
}
