package dev.forwardauth.security;

import dev.forwardauth.config.AppConfig;
import dev.forwardauth.config.ForwardAuthConfig;
import dev.forwardauth.policy.Grants;
import dev.forwardauth.security.machine.MachineTokens;
import dev.forwardauth.security.machine.TokenEndpointExchange;
import dev.forwardauth.forward.TrustedProxies;
import dev.forwardauth.security.session.CookieSessionStore;
import dev.forwardauth.security.session.CookieSettings;
import dev.forwardauth.security.session.SessionSettings;
import dev.forwardauth.security.token.CachingTokenValidator;
import dev.forwardauth.security.token.HttpTimeouts;
import dev.forwardauth.security.token.IdpCall;
import dev.forwardauth.security.token.Telemetry;
import dev.forwardauth.security.token.IdpCalls;
import dev.forwardauth.security.token.IdpUnavailableException;
import dev.forwardauth.security.token.IdpOverrides;
import dev.forwardauth.security.token.SessionTokenReader;
import dev.forwardauth.security.token.InvalidAccessTokenException;
import dev.forwardauth.security.token.TokenValidator;
import dev.forwardauth.security.token.ValidatedAccessToken;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import org.pac4j.core.adapter.FrameworkAdapter;
import org.pac4j.core.client.Client;
import org.pac4j.core.client.Clients;
import org.pac4j.core.config.Config;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.context.WebContext;
import org.pac4j.core.profile.UserProfile;
import org.pac4j.core.profile.factory.ProfileManagerFactory;
import org.pac4j.core.util.Pac4jConstants;
import org.pac4j.core.engine.DefaultCallbackLogic;
import org.pac4j.core.http.adapter.HttpActionAdapter;
import org.pac4j.core.http.callback.NoParameterCallbackUrlResolver;
import org.pac4j.core.util.generator.RandomValueGenerator;
import org.pac4j.jee.context.JEEContextFactory;
import org.pac4j.oidc.client.OidcClient;
import org.pac4j.oidc.config.OidcConfiguration;
import org.pac4j.oidc.profile.OidcProfile;

/**
 * Builds, once per configuration, everything the security filters use: one {@link AppSecurity} per app
 * (its OIDC client, bearer client and compiled policy), the cookie session store, and pac4j's
 * {@link Config} with our plug-ins. pac4j owns the OIDC protocol; these are the pieces we plug in.
 * Immutable once built: a reload builds a new one (see {@link LiveSecurity}).
 */
public final class ForwardAuthSecurity implements java.io.Closeable {
    private static final String DEFAULT_APP = "#default";
    /** Set when a session renewal failed because the IdP could not be reached; see {@link #oidcClient}. */
    static final String RENEWAL_UNAVAILABLE = ForwardAuthSecurity.class.getName() + ".renewalUnavailable";
    /** Request attribute: the profiles (a {@code List<UserProfile>}) the security logic found usable. */
    public static final String USABLE_PROFILES_ATTRIBUTE = ForwardAuthSecurityLogic.USABLE_PROFILES;

    private final ForwardAuthConfig config;
    private final IdentityProvider idp;
    private final CookieSessionStore sessionStore;
    private final Map<AppConfig, AppSecurity> apps = new IdentityHashMap<>();
    private final Map<String, AppSecurity> appsByClientName = new HashMap<>();
    private final RedirectTargets redirectTargets;
    private final List<AppTokenValidator> accessTokenValidators = new ArrayList<>();
    private final CachingTokenValidator sessionTokens;
    private final TrustedProxies trustedProxies;
    private final Telemetry telemetry;
    private final Config pac4j;

    /**
     * {@code idp} comes from {@link #identityProvider}: a reload keeps the one it already discovered.
     * {@code telemetry} hears of IdP calls and token validations (the metrics).
     */
    public ForwardAuthSecurity(ForwardAuthConfig config, IdentityProvider idp, HttpTimeouts timeouts,
                               HttpActionAdapter adapter, Clock clock, Telemetry telemetry) {
        this.config = config;
        this.idp = idp;
        this.telemetry = telemetry;
        this.trustedProxies = new TrustedProxies(config.trustedProxies());
        this.sessionTokens = new CachingTokenValidator(new SessionTokenReader(clock));
        this.sessionStore = new CookieSessionStore(new SessionSettings(config.sessionSecret(),
                config.sessionMaxAge(), config.nonceMaxAge()), clock);
        this.redirectTargets = new RedirectTargets(config);
        ForwardAuthAjaxResolver ajax = new ForwardAuthAjaxResolver();
        List<Client> clients = new ArrayList<>();
        config.defaultApp().ifPresent(app -> clients.addAll(register(app, DEFAULT_APP, timeouts, ajax, clock)));
        for (AppConfig app : config.apps()) {
            clients.addAll(register(app, app.name(), timeouts, ajax, clock));
        }
        this.pac4j = pac4jConfig(clients, adapter, clock);
    }

    private List<Client> register(AppConfig app, String name, HttpTimeouts timeouts, ForwardAuthAjaxResolver ajax,
                                  Clock clock) {
        AppTokenValidator accessTokens = new AppTokenValidator(idp, app.audience(), app.clientId(), telemetry);
        accessTokenValidators.add(accessTokens);
        OidcClient oidc = oidcClient(app, "oidc@" + name, timeouts, ajax, accessTokens, clock);
        BearerTokenClient bearer = new BearerTokenClient("bearer@" + name, accessTokens);
        // allow-basic: Basic client credentials are exchanged for a token of this app's audience, then validated
        // by the same validator as a bearer token. Without it, no client ever calls the IdP for a Basic header.
        BasicAuthClient basic = !app.allowBasic() ? null : new BasicAuthClient("basic@" + name, new MachineTokens(
                new TokenEndpointExchange(idp::metadata, app.audience(), timeouts), accessTokens,
                MachineTokens.Limits.defaults(timeouts), clock));
        AppSecurity security = new AppSecurity(app, oidc, bearer, basic, accessTokens,
                (LazyMetadataResolver) oidc.getConfiguration().getOpMetadataResolver(), idp);
        apps.put(app, security);
        appsByClientName.put(oidc.getName(), security);
        return basic == null ? List.of(oidc, bearer) : List.of(oidc, bearer, basic);
    }

    private OidcClient oidcClient(AppConfig app, String name, HttpTimeouts timeouts, ForwardAuthAjaxResolver ajax,
                                  TokenValidator accessTokens, Clock clock) {
        OidcConfiguration oidc = new OidcConfiguration();
        oidc.setClientId(app.clientId());
        oidc.setSecret(app.clientSecret());
        oidc.setScope(app.scope());
        // Auth0 issues a JWT access token for an API only when the authorize request names it.
        oidc.addCustomParam("audience", app.audience());
        // pac4j 6.2 sends no nonce unless told to, and its default state has only 40 bits.
        oidc.setUseNonce(true);
        oidc.setWithState(true);
        oidc.setStateGenerator(new RandomValueGenerator(32));
        // The nonce lives in the pending-login cookie, gone after the callback: a refresh must not ask for it.
        oidc.setUseNonceOnRefresh(false);
        // SPEC 4: PKCE with S256 always. pac4j would only send it when discovery lists
        // code_challenge_methods_supported, which not every provider does.
        oidc.setPkceMethod(CodeChallengeMethod.S256);
        // pac4j's own calls (the token endpoint, the keys for the ID token) get the same limits as ours.
        oidc.setConnectTimeout(timeouts.connectMillis());
        oidc.setReadTimeout(timeouts.readMillis());
        // Profile claims come from the ID token (SPEC 4); a userinfo call would add an IdP round trip to
        // every login for data the session cookie does not keep.
        oidc.setCallUserInfoEndpoint(false);
        oidc.setOpMetadataResolver(new LazyMetadataResolver(oidc, idp));
        // pac4j fetches the keys for ID tokens itself; same timeouts, and timed for the metrics.
        oidc.setResourceRetriever(timeouts.retriever(IdpCall.JWKS, telemetry));
        OidcClient client = new OidcClient(oidc) {
            // pac4j's ProfileManager catches every exception of a renewal and drops the session, so an IdP
            // outage would sign out everyone whose access token just expired. Leave the reason for the
            // security logic, which answers 503 instead and leaves the cookie for when the IdP is back (SPEC 4).
            // The renewal runs on the request thread, so it takes a place in the IdP bulkhead: when every place
            // is taken, 503 at once rather than one more thread waiting for the token endpoint.
            @Override
            public Optional<UserProfile> renewUserProfile(CallContext ctx, UserProfile profile) {
                try (IdpCalls.Permit permit = idp.calls().enter()) {
                    // pac4j 6.2.2 renews with the authenticator init() makes, but does not call init() here: when
                    // the first use of this client since start-up is a renewal (a restart), the renewal failed and
                    // the session was dropped. init() does not contact the IdP (our metadata resolver is lazy).
                    init();
                    return super.renewUserProfile(ctx, profile);
                } catch (IdpUnavailableException e) {
                    IdpUnavailableError error = new IdpUnavailableError(e);
                    ctx.webContext().setRequestAttribute(RENEWAL_UNAVAILABLE, error);
                    throw error;
                } catch (IdpUnavailableError e) {
                    ctx.webContext().setRequestAttribute(RENEWAL_UNAVAILABLE, e);
                    throw e;
                } catch (RuntimeException e) {
                    if (IdpErrors.unavailable(e)) {
                        ctx.webContext().setRequestAttribute(RENEWAL_UNAVAILABLE, new IdpUnavailableError(
                                new IdpUnavailableException("identity provider unavailable: cannot renew the session"
                                        + " at its token endpoint", e)));
                    }
                    throw e;
                }
            }
        };
        client.setName(name);
        client.setAuthenticator(new TimedOidcAuthenticator(oidc, client, telemetry));
        // The registered redirect-uri, absolute, exactly: behind a proxy the request URL is not it.
        client.setCallbackUrl(app.redirectUri().toString());
        client.setCallbackUrlResolver(new NoParameterCallbackUrlResolver());
        client.setAjaxRequestResolver(ajax);
        client.setRedirectionActionBuilder(new EndpointQueryRedirectionActionBuilder(client));
        client.setProfileCreator(new LoginTokenCheck(oidc, client, accessTokens, clock));
        return client;
    }

    /**
     * The identity provider {@code config} names. When {@code previous} was built for the same one (same
     * {@code domain} and endpoint overrides), its instance, with the discovery document and keys it already
     * fetched: a reload that changes a rule must not make the next login wait for discovery again.
     */
    public static IdentityProvider identityProvider(ForwardAuthConfig config, Clock clock,
                                                    ForwardAuthSecurity previous, Telemetry telemetry) {
        IdpOverrides overrides = overrides(config);
        ForwardAuthConfig.IdpLimits limits = config.idpLimits();
        if (previous != null && previous.idp.serves(config.domain(), overrides, limits)) {
            return previous.idp;
        }
        return new IdentityProvider(config.domain(), overrides, new IdpCalls(timeouts(config),
                limits.maxConcurrentCalls()), clock, telemetry);
    }

    /** The connect and read timeouts of every call to the IdP, from idp-connect-timeout and idp-read-timeout. */
    public static HttpTimeouts timeouts(ForwardAuthConfig config) {
        return new HttpTimeouts(config.idpLimits().connectTimeout(), config.idpLimits().readTimeout());
    }

    /**
     * Does now what the first requests would otherwise do: discovery, then each app's pac4j client and
     * access-token validator. Nothing here is needed for correctness; it only keeps the IdP round trips and
     * set-up work off requests.
     * Nothing is initialised without the metadata, so an unreachable IdP costs no pac4j init attempt.
     *
     * @throws IdpUnavailableException the IdP could not be reached (logins answer 503 until it is)
     */
    public void warmUp() throws IdpUnavailableException {
        // The keys come in the background, on the IdP's fetch threads: a hanging key endpoint holds no one.
        idp.keys().prefetch();
        for (AppSecurity app : apps.values()) {
            app.warmUp();
        }
    }

    private Config pac4jConfig(List<Client> clients, HttpActionAdapter adapter, Clock clock) {
        Config pac4jConfig = new Config(new Clients(clients));
        pac4jConfig.setSessionStoreFactory(parameters -> sessionStore);
        pac4jConfig.setWebContextFactory(JEEContextFactory.INSTANCE);
        pac4jConfig.setHttpActionAdapter(adapter);
        // pac4j's filters fill this in on their first request; /signin runs the callback logic without one, so
        // a replica (or a fresh start) whose first request is a callback would fail every login until some
        // /authorize reached the security filter.
        pac4jConfig.setProfileManagerFactory(ProfileManagerFactory.DEFAULT);
        pac4jConfig.addAuthorizer(PolicyAuthorizer.NAME,
                new PolicyAuthorizer(sessionTokens));
        ForwardAuthSecurityLogic securityLogic = new ForwardAuthSecurityLogic(this);
        securityLogic.setSavedRequestHandler(new OriginalUrlRequestHandler());
        pac4jConfig.setSecurityLogic(securityLogic);
        DefaultCallbackLogic callbackLogic = new DefaultCallbackLogic();
        callbackLogic.setClientFinder(new CallbackClientFinder());
        callbackLogic.setSavedRequestHandler(new OriginalUrlRequestHandler());
        pac4jConfig.setCallbackLogic(callbackLogic);
        // What pac4j's SecurityFilter would do on every request; everything it sets is fixed per config.
        FrameworkAdapter.INSTANCE.applyDefaultSettingsIfUndefined(pac4jConfig);
        return pac4jConfig;
    }

    private static IdpOverrides overrides(ForwardAuthConfig config) {
        return new IdpOverrides(config.authorizeUrl().orElse(null), config.tokenEndpoint().orElse(null),
                config.userinfoEndpoint().orElse(null), config.logoutEndpoint().orElse(null),
                config.jwksUri().orElse(null));
    }

    public ForwardAuthConfig config() {
        return config;
    }

    /** The profiles the security logic found usable for this request's app (after pac4j granted it). */
    @SuppressWarnings("unchecked")
    public static java.util.List<UserProfile> usableProfiles(WebContext context) {
        return (java.util.List<UserProfile>) context.getRequestAttribute(ForwardAuthSecurityLogic.USABLE_PROFILES)
                .orElse(java.util.List.of());
    }

    public Config pac4j() {
        return pac4j;
    }

    /** Access tokens whose validation is remembered now, over all apps (bearer tokens, logins). */
    public int cachedAccessTokens() {
        int entries = 0;
        for (AppTokenValidator validator : accessTokenValidators) {
            entries += validator.cached();
        }
        return entries;
    }

    /** Session access tokens whose claims are remembered now (for the policy check). */
    public int cachedSessionTokens() {
        return sessionTokens.size();
    }

    /** Session cookies kept decoded now. */
    public int cachedSessions() {
        return sessionStore.cachedSessions();
    }

    public CookieSessionStore sessionStore() {
        return sessionStore;
    }

    public IdentityProvider idp() {
        return idp;
    }

    /** Stops the threads that fetch from the IdP; for the webapp's undeployment. */
    @Override
    public void close() {
        idp.close();
    }

    public RedirectTargets redirectTargets() {
        return redirectTargets;
    }

    /** The peers whose X-Forwarded-* headers are believed ({@code trusted-proxies}). */
    public TrustedProxies trustedProxies() {
        return trustedProxies;
    }

    /** The app the proxy's host selects (exact, then longest wildcard, then default); empty: none. */
    public Optional<AppSecurity> appFor(String hostName) {
        return config.appFor(hostName).map(apps::get);
    }

    /**
     * The session's profile when it is usable for {@code app} (same IdP application and API) and not
     * expired; read without renewal, so it never calls the IdP (for anonymous rules and the status page,
     * which act on the access token).
     */
    public Optional<UserProfile> sessionProfile(WebContext context, AppSecurity app) {
        return sessionProfile(context, app, profile -> !profile.isExpired());
    }

    /**
     * The session's profile while the session stands: its access token is valid, or it holds a refresh token
     * that the next /authorize renews it with (for /userinfo, which shows the ID token's claims and must not
     * say "no session" between an access token's expiry and that renewal; behind Caddy or nginx the renewed
     * cookie may never reach the browser at all).
     */
    public Optional<UserProfile> standingSessionProfile(WebContext context, AppSecurity app) {
        return sessionProfile(context, app, profile -> !profile.isExpired()
                || profile instanceof OidcProfile oidc && oidc.getRefreshToken() != null);
    }

    /**
     * The session's profile, expired access token or not (for /signout: its ID token is the id_token_hint
     * that tells the IdP whom to sign out, and OpenID Connect lets an expired one serve as the hint).
     */
    public Optional<UserProfile> anySessionProfile(WebContext context, AppSecurity app) {
        return sessionProfile(context, app, profile -> true);
    }

    private Optional<UserProfile> sessionProfile(WebContext context, AppSecurity app, Predicate<UserProfile> usable) {
        Optional<Object> stored = sessionStore.get(context, Pac4jConstants.USER_PROFILES);
        if (stored.isEmpty() || !(stored.get() instanceof Map<?, ?> profiles)) {
            return Optional.empty();
        }
        for (Object value : profiles.values()) {
            if (value instanceof UserProfile profile && usable.test(profile) && sameSession(profile, app)) {
                return Optional.of(profile);
            }
        }
        return Optional.empty();
    }

    /**
     * What the access token of a session profile grants (SPEC 1: the access token, never the ID token).
     * Empty when the profile holds no access token or it has expired: such a session needs a renewal, which
     * only /authorize makes, so callers treat it as no session.
     */
    public Optional<Grants> sessionGrants(UserProfile profile) {
        if (!(profile instanceof OidcProfile oidc) || oidc.getAccessToken() == null) {
            return Optional.empty();
        }
        try {
            ValidatedAccessToken token = sessionTokens.validate(oidc.getAccessToken().getValue());
            return Optional.of(Grants.fromClaims(token.scope(), token.scp(), token.permissions()));
        } catch (InvalidAccessTokenException e) {
            return Optional.empty();
        } catch (IdpUnavailableException e) {
            // A session's token is read without the IdP (it was checked at sign-in); declared by the cache only.
            return Optional.empty();
        }
    }

    boolean sameSession(UserProfile profile, AppSecurity app) {
        AppSecurity owner = appsByClientName.get(profile.getClientName());
        return owner != null && owner.sessionGroup().equals(app.sessionGroup());
    }

    public Optional<AppSecurity> appByClientName(String clientName) {
        return Optional.ofNullable(appsByClientName.get(clientName));
    }

    /** Cookie attributes for an answer about {@code app}: Secure over https, the app's cookie domain. */
    public static CookieSettings cookieSettings(AppSecurity app, boolean secure) {
        String domain = app.config().tokenCookieDomain();
        return domain == null ? CookieSettings.hostOnly(secure) : CookieSettings.forDomain(secure, domain);
    }

    /**
     * At sign-out on {@code host}: every scope other than {@code app}'s own in which the browser may hold a
     * session cookie that it sends to this host. A login on sso.example.org with token-cookie-domain
     * example.org also signs the user in on wiki.example.org, even when the default app (host-only cookies)
     * serves that host; deleting only the host-only cookie there would leave the user signed in.
     */
    public List<CookieSettings> otherSessionCookieScopes(AppSecurity app, String host, boolean secure) {
        CookieSettings own = cookieSettings(app, secure);
        Set<CookieSettings> scopes = new LinkedHashSet<>();
        scopes.add(CookieSettings.hostOnly(secure));
        for (AppConfig each : apps.keySet()) {
            String domain = each.tokenCookieDomain();
            if (domain != null && (host.equals(domain) || host.endsWith("." + domain))) {
                scopes.add(CookieSettings.forDomain(secure, domain));
            }
        }
        scopes.remove(own);
        return List.copyOf(scopes);
    }
}
