package dev.forwardauth.proxies;

import dev.forwardauth.web.EmbeddedForwardAuth;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;

/**
 * Everything behind the proxy under test, on loopback: mock-oauth2-server as the identity provider,
 * forwardauth in-process, and the app ({@link EchoUpstream}). The site's public address is
 * {@code http://app.localtest:<proxy port>}; the browser sends that Host, no DNS is involved.
 *
 * <p>forwardauth's policy for the app: {@code /public/**} anonymous, {@code /admin/**} needs scope
 * {@code admin:site}, everything else a login. Sessions may be renewed ({@code offline_access}).
 */
final class ProtectedSite implements AutoCloseable {
    static final String HOST = "app.localtest";
    static final String ISSUER_ID = "default";
    static final String CLIENT_ID = "forwardauth";
    static final String AUDIENCE = "https://api.example.com";
    static final String SESSION_COOKIE = "FORWARDAUTH";

    final int port;
    final MockOAuth2Server idp = new MockOAuth2Server();
    final EchoUpstream app;
    final EmbeddedForwardAuth forwardauth;

    /** @param port where the proxy will listen (its configuration, and so forwardauth's, names it) */
    ProtectedSite(int port) throws Exception {
        this.port = port;
        idp.start(InetAddress.getLoopbackAddress(), 0);
        app = new EchoUpstream();
        forwardauth = new EmbeddedForwardAuth("""
                {
                  "domain": "%s",
                  "session-secret": "0123456789abcdef0123456789abcdef",
                  "trusted-proxies": ["127.0.0.0/8", "::1/128"],
                  "apps": [
                    {
                      "name": "%s",
                      "client-id": "%s",
                      "client-secret": "secret",
                      "audience": "%s",
                      "scope": "openid profile email offline_access",
                      "redirect-uri": "%s",
                      "return-to": "%s",
                      "rules": [
                        {"path": "/public/**", "allow": "anonymous"},
                        {"path": "/admin/**", "required-scopes": ["admin:site"]}
                      ]
                    }
                  ]
                }
                """.formatted(idp.issuerUrl(ISSUER_ID), HOST, CLIENT_ID, AUDIENCE, url("/oauth2/signin"),
                url("/public/signed-out")));
    }

    /** The public URL of a path on the protected site, i.e. through the proxy. */
    String url(String pathAndQuery) {
        return "http://" + HOST + ":" + port + pathAndQuery;
    }

    String authorizationEndpoint() {
        return idp.authorizationEndpointUrl(ISSUER_ID).toString();
    }

    String endSessionEndpoint() {
        return idp.endSessionEndpointUrl(ISSUER_ID).toString();
    }

    /** The next login's user: the claims go into the ID and the access token, which lives this long. */
    static OAuth2TokenCallback user(String subject, Map<String, Object> claims, long lifetimeSeconds) {
        return new DefaultOAuth2TokenCallback(ISSUER_ID, subject, "JWT", List.of(AUDIENCE), claims, lifetimeSeconds);
    }

    /** An access token for this app, as an API client brings it without a browser. */
    String accessToken(String subject, Map<String, Object> claims) {
        return idp.issueToken(ISSUER_ID, CLIENT_ID, user(subject, claims, 3600)).serialize();
    }

    @Override
    public void close() throws Exception {
        try (EchoUpstream a = app; EmbeddedForwardAuth f = forwardauth) {
            idp.shutdown();
        }
    }
}
