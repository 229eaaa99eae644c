package dev.forwardauth.config;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Checks one app's settings (an {@code apps[]} entry or {@code default}) and its rules. */
final class AppValidator {
    static final Set<String> ALLOW_WORDS = Set.of("anonymous", "authenticated", "deny");

    private final Problems problems;

    AppValidator(Problems problems) {
        this.problems = problems;
    }

    /** The values this entry sets itself, each at its own path. */
    void checkOwn(String path, AppSettings app) {
        check(path + ".name", app.name(), HostNames::appNameProblem);
        check(path + ".client-id", app.clientId(), AppValidator::nonBlank);
        // A public client leaves the secret out; an empty one is usually an empty environment variable.
        check(path + ".client-secret", app.clientSecret(), s -> s.isEmpty()
                ? Optional.of("must not be empty (leave it out for a public client)") : Optional.empty());
        check(path + ".audience", app.audience(), AppValidator::nonBlank);
        check(path + ".scope", app.scope(), AppValidator::scopeProblem);
        check(path + ".redirect-uri", app.redirectUri(), Urls::redirectUriProblem);
        check(path + ".token-cookie-domain", app.tokenCookieDomain(), HostNames::cookieDomainProblem);
        check(path + ".return-to", app.returnTo(), Urls::problem);
        eachOf(path + ".restricted-methods", app.restrictedMethods(), Tokens::methodProblem);
        eachOf(path + ".required-permissions", app.requiredPermissions(), AppValidator::wordProblem);
        eachOf(path + ".required-scopes", app.requiredScopes(), AppValidator::wordProblem);
        eachOf(path + ".claims", app.claims(), Tokens::claimProblem);
        List<RuleSettings> rules = app.rules();
        for (int i = 0; rules != null && i < rules.size(); i++) {
            if (rules.get(i) != null) {
                checkRule(Problems.element(path + ".rules", i), rules.get(i));
            }
        }
    }

    /** What the effective settings (after inheritance) must have for the app to work at all. */
    void checkComplete(String path, AppSettings effective) {
        required(path + ".client-id", effective.clientId());
        // Without an audience Auth0 issues opaque access tokens, which cannot be validated (SPEC 1).
        required(path + ".audience", effective.audience());
        required(path + ".redirect-uri", effective.redirectUri());
        String name = effective.name();
        String domain = effective.tokenCookieDomain();
        if (name != null && domain != null && HostNames.appNameProblem(name).isEmpty()
                && HostNames.cookieDomainProblem(domain).isEmpty()
                && !HostNames.cookieDomainCovers(HostNames.normaliseCookieDomain(domain), HostNames.normalise(name))) {
            problems.add(path + ".token-cookie-domain", "\"" + domain + "\" does not cover the app's name \""
                    + name + "\", so browsers would refuse the session cookie");
        }
    }

    private void checkRule(String path, RuleSettings rule) {
        required(path + ".path", rule.path());
        check(path + ".path", rule.path(), PathGlobs::problem);
        eachOf(path + ".methods", rule.methods(), Tokens::methodProblem);
        check(path + ".allow", rule.allow(), word -> ALLOW_WORDS.contains(word) ? Optional.empty()
                : Optional.of("must be one of anonymous, authenticated, deny, got \"" + word + "\""));
        eachOf(path + ".required-scopes", rule.requiredScopes(), AppValidator::wordProblem);
        eachOf(path + ".required-permissions", rule.requiredPermissions(), AppValidator::wordProblem);
        // A rule that lets everyone pass, or no one, never looks at the token: listing scopes or
        // permissions there suggests a protection that does not exist.
        if ("anonymous".equals(rule.allow()) || "deny".equals(rule.allow())) {
            noRequirements(path + ".required-scopes", rule.requiredScopes(), rule.allow());
            noRequirements(path + ".required-permissions", rule.requiredPermissions(), rule.allow());
        }
    }

    private void noRequirements(String path, List<String> values, String allow) {
        if (values != null && !values.isEmpty()) {
            problems.add(path, "must be empty when allow is \"" + allow + "\" (such a rule never checks the token)");
        }
    }

    private void check(String path, String value, Function<String, Optional<String>> rule) {
        if (value != null) {
            rule.apply(value).ifPresent(message -> problems.add(path, message));
        }
    }

    private void eachOf(String path, List<String> values, Function<String, Optional<String>> rule) {
        for (int i = 0; values != null && i < values.size(); i++) {
            check(Problems.element(path, i), values.get(i), rule);
        }
    }

    private void required(String path, String value) {
        if (value == null) {
            problems.add(path, "required");
        }
    }

    private static Optional<String> nonBlank(String value) {
        return value.isBlank() ? Optional.of("must not be empty") : Optional.empty();
    }

    // Token claims are space-separated lists, so a required scope with a space in it could never match.
    private static Optional<String> wordProblem(String value) {
        return value.isEmpty() || value.chars().anyMatch(Character::isWhitespace)
                ? Optional.of("must be one non-empty word without spaces, got \"" + value + "\"")
                : Optional.empty();
    }

    private static Optional<String> scopeProblem(String scope) {
        if (!List.of(scope.trim().split("\\s+")).contains("openid")) {
            return Optional.of("must include \"openid\" (login uses OpenID Connect), got \"" + scope + "\"");
        }
        return Optional.empty();
    }
}
