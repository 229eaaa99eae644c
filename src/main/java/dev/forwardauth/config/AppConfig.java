package dev.forwardauth.config;

import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * One app's effective settings after inheritance from {@code default}. {@code name} is lower case without
 * a trailing dot, and null for the default app when it names none. Nullable: {@code clientSecret} (a
 * public client), {@code tokenCookieDomain} (host-only cookie; lower case, no leading dot),
 * {@code returnTo}, and {@code restrictedMethods} (null = every method needs a login, also ones no list
 * names such as PROPFIND or TRACE).
 */
public record AppConfig(
        String name,
        String clientId,
        String clientSecret,
        String audience,
        String scope,
        URI redirectUri,
        String tokenCookieDomain,
        URI returnTo,
        Set<String> restrictedMethods,
        List<String> requiredPermissions,
        List<String> requiredScopes,
        List<String> claims,
        List<RuleConfig> rules,
        boolean allowBasic) {

    public static final String DEFAULT_SCOPE = "openid profile email";
    public static final List<String> DEFAULT_CLAIMS = List.of("sub", "name", "email");

    public AppConfig {
        restrictedMethods = Immutable.set(restrictedMethods);
        requiredPermissions = List.copyOf(requiredPermissions);
        requiredScopes = List.copyOf(requiredScopes);
        claims = List.copyOf(claims);
        rules = List.copyOf(rules);
    }

    @Override
    public String toString() {
        return "AppConfig[name=" + name + ", clientId=" + clientId + ", clientSecret=" + Secrets.mask(clientSecret)
                + ", audience=" + audience + ", scope=" + scope + ", redirectUri=" + redirectUri
                + ", tokenCookieDomain=" + tokenCookieDomain + ", returnTo=" + returnTo
                + ", restrictedMethods=" + restrictedMethods + ", requiredPermissions=" + requiredPermissions
                + ", requiredScopes=" + requiredScopes + ", claims=" + claims + ", rules=" + rules
                + ", allowBasic=" + allowBasic + "]";
    }
}
