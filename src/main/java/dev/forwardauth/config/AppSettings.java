package dev.forwardauth.config;

import jakarta.json.bind.annotation.JsonbProperty;
import java.util.List;

/** One entry of {@code apps}, or {@code default}, exactly as written; every component nullable (= unset). */
public record AppSettings(
        String name,
        @JsonbProperty("client-id") String clientId,
        @JsonbProperty("client-secret") String clientSecret,
        String audience,
        String scope,
        @JsonbProperty("redirect-uri") String redirectUri,
        @JsonbProperty("token-cookie-domain") String tokenCookieDomain,
        @JsonbProperty("return-to") String returnTo,
        @JsonbProperty("restricted-methods") List<String> restrictedMethods,
        @JsonbProperty("required-permissions") List<String> requiredPermissions,
        @JsonbProperty("required-scopes") List<String> requiredScopes,
        List<String> claims,
        List<RuleSettings> rules,
        @JsonbProperty("allow-basic") Boolean allowBasic) {

    /**
     * Every key this app leaves unset comes from {@code parent}, scope and restricted-methods included
     * (the original inherited neither, which surprised users). The name is never inherited: it is what
     * selects the app.
     */
    AppSettings inheritFrom(AppSettings parent) {
        if (parent == null) {
            return this;
        }
        return new AppSettings(
                name,
                or(clientId, parent.clientId),
                or(clientSecret, parent.clientSecret),
                or(audience, parent.audience),
                or(scope, parent.scope),
                or(redirectUri, parent.redirectUri),
                or(tokenCookieDomain, parent.tokenCookieDomain),
                or(returnTo, parent.returnTo),
                or(restrictedMethods, parent.restrictedMethods),
                or(requiredPermissions, parent.requiredPermissions),
                or(requiredScopes, parent.requiredScopes),
                or(claims, parent.claims),
                or(rules, parent.rules),
                or(allowBasic, parent.allowBasic));
    }

    private static <T> T or(T own, T inherited) {
        return own != null ? own : inherited;
    }

    @Override
    public String toString() {
        return "AppSettings[name=" + name + ", client-id=" + clientId
                + ", client-secret=" + Secrets.mask(clientSecret) + ", audience=" + audience
                + ", scope=" + scope + ", redirect-uri=" + redirectUri
                + ", token-cookie-domain=" + tokenCookieDomain + ", return-to=" + returnTo
                + ", restricted-methods=" + restrictedMethods + ", required-permissions=" + requiredPermissions
                + ", required-scopes=" + requiredScopes + ", claims=" + claims + ", rules=" + rules
                + ", allow-basic=" + allowBasic + "]";
    }
}
