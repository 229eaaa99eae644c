package dev.forwardauth.security;

import dev.forwardauth.config.AppConfig;
import dev.forwardauth.policy.Policy;
import dev.forwardauth.security.token.IdpUnavailableException;
import dev.forwardauth.security.token.TokenValidator;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pac4j.core.client.Client;
import org.pac4j.oidc.client.OidcClient;

/**
 * Everything one app needs at request time, built once per config: its compiled policy, its pac4j
 * clients (the OIDC login and the bearer-token check), its callback paths and header names.
 */
public final class AppSecurity {
    /** The app a /signin, /start or /signout request is about, for cookie attributes and the callback. */
    public static final String ATTRIBUTE = AppSecurity.class.getName();

    private final AppConfig config;
    private final Policy policy;
    private final OidcClient oidcClient;
    private final BearerTokenClient bearerClient;
    private final BasicAuthClient basicClient;
    private final List<Client> clients;
    private final Map<String, String> claimHeaders;
    private final String callbackPath;
    private final String startPath;
    private final String startUrl;

    private final LazyMetadataResolver metadata;
    private final String sessionGroup;

    private final AppTokenValidator accessTokens;

    private final IdentityProvider idp;

    AppSecurity(AppConfig config, OidcClient oidcClient, BearerTokenClient bearerClient, BasicAuthClient basicClient,
                AppTokenValidator accessTokens, LazyMetadataResolver metadata, IdentityProvider idp) {
        this.config = config;
        this.idp = idp;
        this.accessTokens = accessTokens;
        this.metadata = metadata;
        // Apps that share a cookie domain see each other's session cookie. A session is good for another app
        // only when it was made by the same IdP application for the same API: same client id and audience.
        this.sessionGroup = config.clientId() + '\n' + config.audience();
        this.policy = AppPolicies.compile(config);
        this.oidcClient = oidcClient;
        this.bearerClient = bearerClient;
        this.basicClient = basicClient;
        // Fixed per app, so the security logic's client finder allocates nothing per request.
        this.clients = basicClient == null ? List.of(oidcClient, bearerClient)
                : List.of(oidcClient, bearerClient, basicClient);
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

    String sessionGroup() {
        return sessionGroup;
    }

    /**
     * Makes sure the IdP's metadata is loaded before a flow that needs it hands over to pac4j; throws
     * {@link IdpUnavailableError} (503) when the IdP cannot be reached.
     */
    public void requireIdp() {
        metadata.ensureLoaded();
    }

    /** {@link #requireIdp()} and, for a login about to send the browser there, the IdP answering now. */
    public void requireIdpForLogin() {
        requireIdp();
        try {
            idp.requireReachable();
        } catch (IdpUnavailableException e) {
            throw new IdpUnavailableError(e);
        }
    }

    /**
     * After discovery: the metadata, pac4j's client and the access-token validator ready before the first
     * login or bearer token asks for them.
     */
    void warmUp() throws IdpUnavailableException {
        metadata.ensureLoaded();
        oidcClient.init();
        accessTokens.prepare();
    }

    public Policy policy() {
        return policy;
    }

    public OidcClient oidcClient() {
        return oidcClient;
    }

    /** Validates access tokens for this app's audience against the IdP's keys (cached). */
    public TokenValidator accessTokens() {
        return accessTokens;
    }

    public BearerTokenClient bearerClient() {
        return bearerClient;
    }

    /** The machine-client (allow-basic) client; empty when the app does not allow Basic credentials. */
    public Optional<BasicAuthClient> basicClient() {
        return Optional.ofNullable(basicClient);
    }

    /** pac4j's clients for a request to this app: the login, bearer tokens, and Basic credentials if allowed. */
    List<Client> clients() {
        return clients;
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
