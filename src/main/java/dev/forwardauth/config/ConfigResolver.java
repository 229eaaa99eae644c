package dev.forwardauth.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Turns validated raw records into the immutable config: inheritance, defaults, parsed values. */
final class ConfigResolver {
    private ConfigResolver() {
    }

    static ForwardAuthConfig resolve(ConfigFile file) {
        AppSettings defaults = file.defaultApp();
        List<AppConfig> apps = new ArrayList<>();
        if (file.apps() != null) {
            for (AppSettings app : file.apps()) {
                apps.add(app(app.inheritFrom(defaults)));
            }
        }
        ForwardAuthConfig.Endpoints endpoints = new ForwardAuthConfig.Endpoints(uri(file.authorizeUrl()),
                uri(file.tokenEndpoint()), uri(file.userinfoEndpoint()), uri(file.logoutEndpoint()),
                uri(file.jwksUri()));
        return new ForwardAuthConfig(
                URI.create(file.domain()),
                endpoints,
                idpLimits(file),
                seconds(file.nonceMaxAge(), ForwardAuthConfig.DEFAULT_NONCE_MAX_AGE),
                file.trustedProxies() == null ? ForwardAuthConfig.DEFAULT_TRUSTED_PROXIES
                        : file.trustedProxies().stream().map(Cidr::parse).toList(),
                file.sessionSecret(),
                seconds(file.sessionMaxAge(), ForwardAuthConfig.DEFAULT_SESSION_MAX_AGE),
                file.statusPermission() == null ? ForwardAuthConfig.DEFAULT_STATUS_PERMISSION
                        : file.statusPermission(),
                Optional.ofNullable(defaults).map(ConfigResolver::app),
                apps,
                !Boolean.FALSE.equals(file.metrics()),
                file.decisionLog() == null ? DecisionLogLevel.DEFAULT
                        : DecisionLogLevel.parse(file.decisionLog()).orElseThrow());
    }

    private static ForwardAuthConfig.IdpLimits idpLimits(ConfigFile file) {
        ForwardAuthConfig.IdpLimits defaults = ForwardAuthConfig.IdpLimits.DEFAULT;
        return new ForwardAuthConfig.IdpLimits(
                seconds(file.idpConnectTimeout(), defaults.connectTimeout()),
                seconds(file.idpReadTimeout(), defaults.readTimeout()),
                file.idpMaxConcurrentCalls() == null ? defaults.maxConcurrentCalls()
                        : Math.toIntExact(file.idpMaxConcurrentCalls()));
    }

    private static AppConfig app(AppSettings app) {
        return new AppConfig(
                app.name() == null ? null : HostNames.normalise(app.name()),
                app.clientId(),
                app.clientSecret(),
                app.audience(),
                app.scope() == null ? AppConfig.DEFAULT_SCOPE : app.scope(),
                URI.create(app.redirectUri()),
                app.tokenCookieDomain() == null ? null : HostNames.normaliseCookieDomain(app.tokenCookieDomain()),
                uri(app.returnTo()),
                app.restrictedMethods() == null ? null : new LinkedHashSet<>(app.restrictedMethods()),
                orEmpty(app.requiredPermissions()),
                orEmpty(app.requiredScopes()),
                app.claims() == null ? AppConfig.DEFAULT_CLAIMS : app.claims(),
                rules(app.rules()),
                Boolean.TRUE.equals(app.allowBasic()));
    }

    private static List<RuleConfig> rules(List<RuleSettings> rules) {
        List<RuleConfig> out = new ArrayList<>();
        for (int i = 0; rules != null && i < rules.size(); i++) {
            RuleSettings rule = rules.get(i);
            Set<String> methods = rule.methods() == null ? Set.of() : new LinkedHashSet<>(rule.methods());
            String allow = rule.allow() == null ? RuleConfig.AUTHENTICATED : rule.allow();
            out.add(new RuleConfig(i, rule.path(), methods, allow, orEmpty(rule.requiredScopes()),
                    orEmpty(rule.requiredPermissions())));
        }
        return out;
    }

    private static List<String> orEmpty(List<String> values) {
        return values == null ? List.of() : values;
    }

    private static Duration seconds(Long value, Duration otherwise) {
        return value == null ? otherwise : Duration.ofSeconds(value);
    }

    private static URI uri(String value) {
        return value == null ? null : URI.create(value);
    }
}
