package dev.forwardauth.demo;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.NettyWrapper;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;

/**
 * The demo's identity provider: mock-oauth2-server with its interactive login page, where any user name
 * signs in. Its tokens look like Auth0's for an API: the access token's {@code aud} holds the demo app's
 * audience, {@code scope} grants {@link #SCOPE} and {@code permissions} lists {@link #PERMISSIONS}; neither
 * holds {@link DemoConfig#ADMIN_SCOPE}, so the sample's admin page answers 403. The login page's optional
 * claims box overrides these claims (type {@code {"scope": "openid admin:site"}} to pass the admin page).
 *
 * <p>Never for production: it signs in whoever asks. Only {@code --demo} ever starts it.
 */
final class DevelopmentIdp {
    /** The issuer's path: mock-oauth2-server serves any number of issuers, each under its own id. */
    static final String ISSUER_ID = "demo";
    static final String SCOPE = "openid profile email read:site";
    static final List<String> PERMISSIONS = List.of("read:site");
    private static final long TOKEN_SECONDS = 3600;

    private final MockOAuth2Server server;

    DevelopmentIdp(String audience) {
        // The token callback for the interactive login: the login's user name becomes `sub`, these claims
        // go into both tokens, and the audience into the access token (the ID token's is the client id).
        DefaultOAuth2TokenCallback tokens = new DefaultOAuth2TokenCallback(ISSUER_ID, "demo-user", "JWT",
                List.of(audience), Map.of("scope", SCOPE, "permissions", PERMISSIONS), TOKEN_SECONDS);
        // A signing key made at start, not the keys bundled in mock-oauth2-server's jar, which anyone can read.
        OAuth2TokenProvider signer = new OAuth2TokenProvider(new KeyProvider(List.of(), "RS256"));
        // Netty rather than the default okhttp MockWebServer, which is a JUnit 4 rule and would need JUnit.
        OAuth2Config config = new OAuth2Config(true, null, null, false, signer, Set.of(tokens), new NettyWrapper());
        server = new MockOAuth2Server(config);
    }

    /** Starts on a free port of the loopback interface. */
    void start() {
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    int port() {
        return server.getConfig().getHttpServer().port();
    }

    /**
     * The issuer, spelt with {@code localhost} like every other demo URL: mock-oauth2-server names its
     * issuer after the Host header it is called with, so browser and forwardauth must use the same name.
     */
    URI issuer() {
        return URI.create("http://localhost:" + port() + "/" + ISSUER_ID);
    }

    void stop() {
        server.shutdown();
    }
}
