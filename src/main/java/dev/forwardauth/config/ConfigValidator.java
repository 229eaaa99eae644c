package dev.forwardauth.config;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the values of a structurally sound config: the top-level keys here, app settings in
 * {@link AppValidator}. Numbers are already within their {@link Limits} (the structure check). Values an app
 * inherits from {@code default} are checked once, at their {@code default.*} path; per app only what needs the
 * effective settings (required keys, the cookie domain against the name) is checked after inheritance.
 */
final class ConfigValidator {
    static final int MIN_SECRET_LENGTH = 32;

    private final Problems problems;
    private final AppValidator apps;

    ConfigValidator(Problems problems) {
        this.problems = problems;
        this.apps = new AppValidator(problems);
    }

    void validate(ConfigFile config) {
        domain(config.domain());
        url("authorize-url", config.authorizeUrl());
        url("token-endpoint", config.tokenEndpoint());
        url("userinfo-endpoint", config.userinfoEndpoint());
        url("logout-endpoint", config.logoutEndpoint());
        url("jwks-uri", config.jwksUri());
        trustedProxies(config.trustedProxies());
        sessionSecret(config.sessionSecret());
        statusPermission(config.statusPermission());
        decisionLog(config.decisionLog());
        AppSettings defaults = config.defaultApp();
        if (defaults != null) {
            apps.checkOwn("default", defaults);
            apps.checkComplete("default", defaults);
        }
        appList(config.apps(), defaults);
    }

    private void appList(List<AppSettings> list, AppSettings defaults) {
        if ((list == null || list.isEmpty()) && defaults == null) {
            problems.add("apps", "required when there is no \"default\" (without either, no host is served)");
            return;
        }
        Map<String, Integer> firstByName = new HashMap<>();
        for (int i = 0; list != null && i < list.size(); i++) {
            AppSettings app = list.get(i);
            if (app == null) {
                continue; // its problem is already reported
            }
            String path = Problems.element("apps", i);
            apps.checkOwn(path, app);
            required(path + ".name", app.name());
            apps.checkComplete(path, app.inheritFrom(defaults));
            uniqueName(path, app.name(), i, firstByName);
        }
    }

    // Names compare case-insensitively, as hosts do; a second entry for a host could never be selected.
    private void uniqueName(String path, String name, int index, Map<String, Integer> firstByName) {
        if (name == null || HostNames.appNameProblem(name).isPresent()) {
            return;
        }
        Integer earlier = firstByName.putIfAbsent(HostNames.normalise(name), index);
        if (earlier != null) {
            problems.add(path + ".name", "\"" + name + "\" is already the name of apps[" + earlier
                    + "] (names are case-insensitive)");
        }
    }

    // The discovery URL is built by appending to the domain: a query or fragment there would break it.
    private void domain(String domain) {
        required("domain", domain);
        url("domain", domain);
        URI uri = domain == null ? null : Urls.parse(domain);
        if (uri != null && uri.getRawQuery() != null) {
            problems.add("domain", "must not have a query (?...), got \"" + domain + "\"");
        }
    }

    private void trustedProxies(List<String> ranges) {
        for (int i = 0; ranges != null && i < ranges.size(); i++) {
            String range = ranges.get(i);
            if (range != null) {
                try {
                    Cidr.parse(range);
                } catch (IllegalArgumentException e) {
                    problems.add(Problems.element("trusted-proxies", i), e.getMessage());
                }
            }
        }
    }

    // The length, and whether it is blank, are all that is said about the secret: messages end up in logs and
    // terminals. 36 spaces have the length but no entropy at all (an unquoted empty variable padded, a template).
    private void sessionSecret(String secret) {
        required("session-secret", secret);
        if (secret != null && secret.length() < MIN_SECRET_LENGTH) {
            problems.add("session-secret", "must be at least " + MIN_SECRET_LENGTH + " characters, got "
                    + secret.length());
        } else if (secret != null && secret.isBlank()) {
            problems.add("session-secret", "must not be blank (it is only whitespace)");
        }
    }

    // Compared with the entries of the access token's "permissions" list, exactly: a space or an empty
    // string could never match, and the page would silently be closed to everyone.
    private void statusPermission(String permission) {
        if (permission != null && (permission.isEmpty() || permission.chars().anyMatch(Character::isWhitespace))) {
            problems.add("status-permission", "must be one non-empty word without spaces, got \"" + permission
                    + "\"");
        }
    }

    private void decisionLog(String level) {
        if (level != null && DecisionLogLevel.parse(level).isEmpty()) {
            problems.add("decision-log", "must be one of all, denied, off, got \"" + level + "\"");
        }
    }

    private void url(String path, String value) {
        if (value != null) {
            Urls.problem(value).ifPresent(message -> problems.add(path, message));
        }
    }

    private void required(String path, String value) {
        if (value == null) {
            problems.add(path, "required");
        }
    }
}
