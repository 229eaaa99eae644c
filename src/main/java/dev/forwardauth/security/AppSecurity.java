package dev.forwardauth.security;

import dev.forwardauth.config.AppConfig;
import dev.forwardauth.policy.Policy;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.pac4j.oidc.client.OidcClient;

/**
 * Everything one app needs at request time, built once per config: its compiled policy, its pac4j
 * clients (the OIDC login and the bearer-token check), its callback paths and header names.
 */
public final class AppSecurity {
    private final AppConfig config;
    private final Policy policy;
    private final OidcClient oidcClient;
    private final BearerTokenClient bearerClient;
    private final Map<String, String> claimHeaders;
    private final String callbackPath;
    private final String startPath;
    private final String startUrl;

    AppSecurity(AppConfig config, OidcClient oidcClient, BearerTokenClient bearerClient) {
        this.config = config;
        this.policy = AppPolicies.compile(config);
        this.oidcClient = oidcClient;
        this.bearerClient = bearerClient;
        this.claimHeaders = ClaimHeaders.namesFor(config.claims());
        String redirect = config.redirectUri().toString();
        // SPEC: the start URL is the redirect-uri with its last segment "signin" replaced by "start".
        this.startUrl = redirect.substring(0, redirect.length() - "signin".length()) + "start";
        this.callbackPath = config.redirectUri().getRawPath();
        this.startPath = callbackPath.substring(0, callbackPath.length() - "signin".length()) + "start";
    }

    public AppConfig config() {
        return config;
    }

    public String clientName() {
        return oidcClient.getName();
    }

    public Policy policy() {
        return policy;
    }

    public OidcClient oidcClient() {
        return oidcClient;
    }

    public BearerTokenClient bearerClient() {
        return bearerClient;
    }

    /** Claim name to {@code X-Forwardauth-*} header name, in configured order. */
    public Map<String, String> claimHeaders() {
        return claimHeaders;
    }

    /**
     * Requests for forwardauth's own callback or start path pass anonymously, so a proxy that also puts the
     * middleware in front of our routes does not loop. Exact path comparison: the original matched by
     * prefix, which opened {@code /signin-admin/...}.
     */
    public boolean isOwnRoute(String normalisedPath) {
        return normalisedPath.equals(callbackPath) || normalisedPath.equals(startPath);
    }

    /** Where an API client or nginx sends the user to start a login that returns to {@code originalUrl}. */
    public String startUrl(String originalUrl) {
        return startUrl + "?rd=" + URLEncoder.encode(originalUrl, StandardCharsets.UTF_8);
    }
}
