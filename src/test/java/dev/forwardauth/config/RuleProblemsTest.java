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
        "admin/**      | must start with \"/\" (got \"admin/**\")",
        "/admin**      | \"**\" must be a whole segment (got \"admin**\")",
        "/a/***/b      | \"**\" must be a whole segment (got \"***\")",
        "/search?q=*   | must not contain \"?\" (only \"*\" and \"**\" are wildcards, and the query never takes part), got \"/search?q=*\"",
        "/page#top     | must not contain \"#\" (request paths with a fragment are refused), got \"/page#top\"",
        "/a;jsessionid | must not contain \";\" (request paths with path parameters are refused), got \"/a;jsessionid\"",
        "/a\\b         | must not contain \"\\\" (request paths with \"\\\" are refused), got \"/a\\b\"",
        "/a//b         | must not contain \"//\" (request paths have empty segments collapsed), got \"/a//b\"",
        "/a/./b        | must not contain \".\" or \"..\" segments (request paths have them resolved), got \"/a/./b\"",
        "/a/..         | must not contain \".\" or \"..\" segments (request paths have them resolved), got \"/a/..\""})
    void pathMustBeAGlobOnTheNormalisedPathAsThePolicyCompilerSays(String glob, String message) {
        withRule("path", glob).assertProblems("apps[0].rules[1].path: " + message);
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
                .assertProblems("default.rules[0].path: must start with \"/\" (got \"x\")");
    }
}
