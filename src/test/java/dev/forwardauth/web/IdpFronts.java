package dev.forwardauth.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import no.nav.security.mock.oauth2.MockOAuth2Server;

/**
 * One real IdP (mock-oauth2-server) behind one {@link FaultyIdp} front per kind of call forwardauth makes:
 * discovery, signing keys, token endpoint, and the userinfo and logout endpoints (which forwardauth should
 * never call). A test breaks one of them the way {@link Failure} says and leaves the others working.
 */
final class IdpFronts implements AutoCloseable {
    /** The ways an IdP fails, as issue 8 lists them, plus a connection closed without an answer. */
    enum Failure {
        DOWN, SLOW, FAILING, CLOSING;

        void apply(FaultyIdp front) {
            switch (this) {
                case DOWN -> front.stop();
                case SLOW -> front.fault(FaultyIdp.Fault.HANG);
                case FAILING -> front.fault(FaultyIdp.Fault.FAIL);
                case CLOSING -> front.fault(FaultyIdp.Fault.DROP);
                default -> throw new IllegalStateException(name());
            }
        }
    }

    final MockOAuth2Server idp = new MockOAuth2Server();
    final FaultyIdp discovery;
    final FaultyIdp keys;
    final FaultyIdp token;
    final FaultyIdp other;

    IdpFronts() throws Exception {
        idp.start();
        discovery = new FaultyIdp(idp);
        keys = new FaultyIdp(idp);
        token = new FaultyIdp(idp);
        other = new FaultyIdp(idp);
        // mock-oauth2-server's first answer takes long (class loading); no test should count that against
        // forwardauth's timeouts.
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(discovery.domain()
                + "/.well-known/openid-configuration")).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.discarding());
        reset();
    }

    /**
     * A configuration whose every IdP call goes through the fronts. {@code topLevel} is more top-level keys,
     * each followed by a comma (e.g. the IdP timeouts).
     */
    String config(String topLevel) {
        return """
                {
                  "domain": "%s",
                  "jwks-uri": "%s",
                  "token-endpoint": "%s",
                  "userinfo-endpoint": "%s",
                  "logout-endpoint": "%s",
                  %s
                  "session-secret": "%s",
                  "default": {
                    "client-id": "forwardauth",
                    "client-secret": "secret",
                    "audience": "%s",
                    "scope": "openid profile email offline_access",
                    "redirect-uri": "https://app.example.com/oauth2/signin",
                    "return-to": "https://app.example.com/signed-out"
                  }
                }
                """.formatted(discovery.domain(), keys.jwksUri(), token.tokenUri(), other.userinfoUri(),
                other.logoutUri(), topLevel, Logins.SESSION_SECRET, Logins.AUDIENCE);
    }

    /** Every front answers again, and counts requests from zero. */
    void reset() throws IOException {
        discovery.reset();
        keys.reset();
        token.reset();
        other.reset();
    }

    @Override
    public void close() {
        discovery.close();
        keys.close();
        token.close();
        other.close();
        idp.shutdown();
    }
}
