package dev.forwardauth.security.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import dev.forwardauth.security.session.FakeHttp.Browser;
import dev.forwardauth.security.session.FakeHttp.Exchange;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pac4j.core.client.Clients;
import org.pac4j.core.config.Config;
import org.pac4j.core.engine.DefaultCallbackLogic;
import org.pac4j.core.engine.DefaultSecurityLogic;
import org.pac4j.core.exception.http.FoundAction;
import org.pac4j.core.exception.http.WithLocationAction;
import org.pac4j.core.http.callback.NoParameterCallbackUrlResolver;
import org.pac4j.core.profile.ProfileManager;
import org.pac4j.core.util.generator.RandomValueGenerator;
import org.pac4j.jee.context.JEEContextFactory;
import org.pac4j.jee.context.JEEFrameworkParameters;
import org.pac4j.oidc.client.OidcClient;
import org.pac4j.oidc.config.OidcConfiguration;
import org.pac4j.oidc.profile.OidcProfile;

/**
 * The whole OIDC login through pac4j's own logic with this store and a real OIDC server in-process (no
 * network beyond loopback): pac4j's state, nonce and PKCE go through the pending-login cookie, the session
 * through FORWARDAUTH, and an expired access token is renewed with the refresh token.
 */
class LoginFlowTest {

    private static final String CALLBACK = "https://app.example.com/oauth2/signin";
    private static final String CLIENT = "app-client";

    private final MutableClock clock = new MutableClock();
    private final CookieSessionStore store = new CookieSessionStore(SessionSettings.of(SessionCookieTest.SECRET, 43200, 300), clock);
    private final Browser browser = new Browser();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private MockOAuth2Server idp;
    private OidcConfiguration oidc;
    private Config config;

    @BeforeEach
    void startIdentityProvider() {
        idp = new MockOAuth2Server();
        idp.start();
        oidc = new OidcConfiguration();
        oidc.setDiscoveryURI(idp.wellKnownUrl("default").toString());
        oidc.setClientId("forwardauth");
        oidc.setSecret("forwardauth-secret");
        oidc.setScope("openid profile email offline_access");
        oidc.setClientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST);
        // pac4j's defaults (0.5 s to connect, 5 s to read) are too short for the in-process server's first answer
        // on a busy machine; this test is about the flow, not the timeouts.
        oidc.setConnectTimeout(30_000);
        oidc.setReadTimeout(30_000);
        // pac4j 6.2.2 defaults: no nonce, a 10-hex-digit (40-bit) state. forwardauth wants both strong.
        oidc.setUseNonce(true);
        oidc.setStateGenerator(new RandomValueGenerator(32));
        // The login's nonce is gone once the callback used it (no server session keeps it): a renewal must
        // not look for it. OIDC Core 12.2 does not require a nonce in a refreshed ID token anyway.
        oidc.setUseNonceOnRefresh(false);
        OidcClient client = new OidcClient(oidc);
        client.setName(CLIENT);
        client.setCallbackUrlResolver(new NoParameterCallbackUrlResolver());
        config = new Config(new Clients(CALLBACK, client));
        config.setWebContextFactory(JEEContextFactory.INSTANCE);
        config.setSessionStoreFactory(parameters -> store);
        config.setProfileManagerFactory(ProfileManager::new);
        config.setHttpActionAdapter((action, context) -> action);
    }

    @AfterEach
    void stopIdentityProvider() {
        idp.shutdown();
    }

    @Test
    void aBrowserLogsInThroughPac4jAndStaysLoggedInWithCookiesOnly() throws Exception {
        Map<String, String> callbackQuery = logIn();

        OidcProfile profile = (OidcProfile) profileManager(browser.get("https://app.example.com/authorize")).getProfile().orElseThrow();
        assertEquals("alice", profile.getId());
        assertEquals(CLIENT, profile.getClientName());
        assertEquals("alice@example.com", profile.getEmail());
        assertNotNull(profile.getRefreshToken(), "the mock IdP grants offline access");

        Exchange replay = browser.get(CALLBACK);
        callbackQuery.forEach(replay::parameter);
        assertEquals(PendingLogin.UNKNOWN, store.lookup(replay.context(), callbackQuery.get("state")));
    }

    @Test
    void anExpiredAccessTokenIsRenewedWithTheRefreshTokenAndTheLoginTimeIsKept() throws Exception {
        // Every token of this client counts as expired as soon as it is issued: each read must renew.
        oidc.setTokenExpirationAdvance(7200);
        logIn();
        String before = browser.jar.get("FORWARDAUTH");
        String oldAccessToken = SessionData.fromBytes(SessionCrypto.forSessions(SessionCookieTest.SECRET, new java.security.SecureRandom())
                .open("FORWARDAUTH", before).orElseThrow()).orElseThrow().accessToken();
        clock.advance(Duration.ofHours(1));

        Exchange renewal = browser.get("https://app.example.com/authorize");
        OidcProfile renewed = (OidcProfile) profileManager(renewal).getProfile().orElseThrow();
        store.commit(renewal.context(), CookieSettings.hostOnly(true));
        browser.receive(renewal);

        assertNotEquals(oldAccessToken, renewed.getAccessToken().getValue());
        assertNotEquals(before, browser.jar.get("FORWARDAUTH"));
        assertEquals(String.valueOf(43200 - 3600), FakeHttp.attributes(renewal.setCookie("FORWARDAUTH")).get("max-age"));
    }

    /** /authorize starts the login, the IdP answers, /signin finishes it; returns the callback's query. */
    private Map<String, String> logIn() throws Exception {
        Exchange authorize = browser.get("https://app.example.com/authorize");
        store.startLogin(authorize.context(), "app.example.com");
        Object redirect = DefaultSecurityLogic.INSTANCE.perform(config, (context, sessionStore, profiles) -> "granted",
                CLIENT, null, "none", new JEEFrameworkParameters(authorize.request(), authorize.response()));
        store.commit(authorize.context(), CookieSettings.hostOnly(true));
        browser.receive(authorize);

        String idpUrl = ((WithLocationAction) redirect).getLocation();
        assertTrue(idpUrl.contains("code_challenge_method=S256") && idpUrl.contains("nonce="), idpUrl);
        assertEquals(1, browser.jar.size());
        assertTrue(browser.names().get(0).startsWith("FORWARDAUTH_LOGIN_"));

        Map<String, String> callbackQuery = loginAtIdentityProvider(idpUrl);
        Exchange callback = browser.get(CALLBACK);
        callbackQuery.forEach(callback::parameter);
        assertEquals("app.example.com", store.lookup(callback.context(), callbackQuery.get("state")).appName());
        Object done = DefaultCallbackLogic.INSTANCE.perform(config, "/", true, CLIENT,
                new JEEFrameworkParameters(callback.request(), callback.response()));
        store.commit(callback.context(), CookieSettings.hostOnly(true));
        browser.receive(callback);

        assertInstanceOf(FoundAction.class, done);
        assertEquals("https://app.example.com/authorize", ((FoundAction) done).getLocation());
        assertEquals(List.of("FORWARDAUTH"), browser.names(), "pending login used up, session set");
        return callbackQuery;
    }

    private Map<String, String> loginAtIdentityProvider(String authorizeUrl) throws Exception {
        idp.enqueueCallback(new DefaultOAuth2TokenCallback("default", "alice", "JWT", List.of("forwardauth"),
                Map.of("email", "alice@example.com", "name", "Alice"), 3600));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(authorizeUrl)).build(),
                HttpResponse.BodyHandlers.ofString());
        String location = response.headers().firstValue("Location").orElseThrow(() -> new AssertionError(response.body()));
        assertTrue(location.startsWith(CALLBACK + "?"), location);
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            String[] parts = pair.split("=", 2);
            query.put(parts[0], URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        return query;
    }

    private ProfileManager profileManager(Exchange exchange) {
        ProfileManager manager = new ProfileManager(exchange.context(), store);
        manager.setConfig(config);
        return manager;
    }
}
