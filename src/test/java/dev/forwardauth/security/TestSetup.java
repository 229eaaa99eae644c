package dev.forwardauth.security;

import dev.forwardauth.config.ConfigLoader;
import dev.forwardauth.config.ForwardAuthConfig;
import dev.forwardauth.security.token.HttpTimeouts;
import dev.forwardauth.security.token.IdpCalls;
import dev.forwardauth.security.token.IdpOverrides;
import dev.forwardauth.security.token.Telemetry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.pac4j.core.exception.http.HttpAction;
import org.pac4j.core.http.adapter.HttpActionAdapter;

/**
 * forwardauth's security as the webapp builds it, from a real configuration file: three apps and a default,
 * for an identity provider at {@code domain}. The apps:
 * <ul>
 * <li>{@code app.example.com}: its own client, asking for refresh tokens; rules for /public (anonymous), /admin (deny) and /reports
 * (scope read:reports and permission reports:view); claims sub, email and Given_Name;</li>
 * <li>{@code *.shared.example.com}: the same client and audience as app.example.com, a cookie domain, and a
 * redirect-uri under another path;</li>
 * <li>{@code other.example.com}: another client of the same API;</li>
 * <li>the default app: its own client and API.</li>
 * </ul>
 */
final class TestSetup {
    static final String SECRET = "0123456789abcdef0123456789abcdef-session-secret";
    static final String AUDIENCE = "https://api.example.com";
    /** Generous: the in-process IdP's first answer can take seconds on a busy machine; a dead IdP refuses at once. */
    static final HttpTimeouts TIMEOUTS = new HttpTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30));
    /** pac4j's answers come back as they are, as the web layer's adapter receives them. */
    static final HttpActionAdapter ACTIONS = (HttpAction action, org.pac4j.core.context.WebContext context) -> action;

    private TestSetup() {
    }

    static String configJson(String domain) {
        return """
                {
                  "domain": "%s",
                  "idp-connect-timeout": 10,
                  "idp-read-timeout": 30,
                  "session-secret": "%s",
                  "default": {
                    "client-id": "default-client",
                    "client-secret": "default-secret",
                    "audience": "https://default-api.example.com",
                    "redirect-uri": "https://auth.example.com/oauth2/signin"
                  },
                  "apps": [
                    {
                      "name": "app.example.com",
                      "client-id": "app-client",
                      "client-secret": "app-secret",
                      "audience": "%s",
                      "redirect-uri": "https://app.example.com/oauth2/signin",
                      "scope": "openid profile email offline_access",
                      "claims": ["sub", "email", "Given_Name"],
                      "rules": [
                        {"path": "/public/**", "allow": "anonymous"},
                        {"path": "/admin/**", "allow": "deny"},
                        {"path": "/reports/**", "methods": ["GET"], "required-scopes": ["read:reports"],
                         "required-permissions": ["reports:view"]}
                      ]
                    },
                    {
                      "name": "*.shared.example.com",
                      "client-id": "app-client",
                      "client-secret": "app-secret",
                      "audience": "%s",
                      "redirect-uri": "https://login.shared.example.com/auth/signin",
                      "token-cookie-domain": "shared.example.com",
                      "restricted-methods": ["POST"],
                      "required-scopes": ["shared"]
                    },
                    {
                      "name": "other.example.com",
                      "client-id": "other-client",
                      "client-secret": "other-secret",
                      "audience": "%s",
                      "redirect-uri": "https://other.example.com/oauth2/signin"
                    }
                  ]
                }
                """.formatted(domain, SECRET, AUDIENCE, AUDIENCE, AUDIENCE);
    }

    static ForwardAuthConfig config(String domain) {
        return load(configJson(domain));
    }

    static ForwardAuthConfig load(String json) {
        try {
            Path file = Files.createTempFile("forwardauth-test", ".json");
            try {
                Files.writeString(file, json);
                return ConfigLoader.load(file, Map.of());
            } finally {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ForwardAuthSecurity security(String domain, Clock clock) {
        return security(config(domain), clock);
    }

    static ForwardAuthSecurity security(ForwardAuthConfig config, Clock clock) {
        return new ForwardAuthSecurity(config, ForwardAuthSecurity.identityProvider(config, clock, null, Telemetry.NONE),
                ForwardAuthSecurity.timeouts(config), ACTIONS, clock, Telemetry.NONE);
    }

    /** The IdP at {@code domain} as forwardauth reaches it, with {@link #TIMEOUTS}. */
    static IdentityProvider idp(String domain, Clock clock) {
        return new IdentityProvider(java.net.URI.create(domain), IdpOverrides.NONE, new IdpCalls(TIMEOUTS, 32), clock);
    }

    /** An IdP address where nothing listens: a port that was just free on the loopback interface. */
    static String deadIdp() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/dead";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
