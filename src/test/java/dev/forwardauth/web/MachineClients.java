package dev.forwardauth.web;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import okhttp3.Headers;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * Machine-to-machine applications on mock-oauth2-server, shaped like Auth0's: the real server issues and
 * signs the tokens of the client-credentials grant; this adds the two things it does not do itself. It knows
 * which clients exist (their secret and granted scopes) and answers a wrong pair with Auth0's 401, and it
 * issues the token for the API named in the {@code audience} parameter (Auth0's extension; the mock would
 * otherwise use {@code scope}), with {@code sub} {@code <client-id>@clients} and {@code azp} the client id.
 */
final class MachineClients {
    private record Client(String secret, String scope) {
    }

    private final Map<String, Client> clients = new ConcurrentHashMap<>();

    /** Registers a machine-to-machine application with the scopes (permissions) it was granted. */
    MachineClients register(String clientId, String secret, String scope) {
        clients.put(clientId, new Client(secret, scope));
        return this;
    }

    /** A started IdP with these clients, issuer id {@code default}; extra routes (slow, broken) go first. */
    MockOAuth2Server start(Route... extraRoutes) {
        List<Route> routes = new ArrayList<>(List.of(extraRoutes));
        routes.add(new RefuseUnknownClients());
        MockOAuth2Server idp = new MockOAuth2Server(new OAuth2Config(false, null, null, false,
                new OAuth2TokenProvider(), Set.of(new Tokens())), routes.toArray(Route[]::new));
        idp.start();
        awaitDiscovery(idp);
        return idp;
    }

    // The first answer of a fresh mock server loads much of its code; on a busy machine that can take longer
    // than forwardauth's 5 s read timeout, and discovery would fail for reasons no test is about.
    private static void awaitDiscovery(MockOAuth2Server idp) {
        try {
            HttpResponse<String> discovery = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(idp.wellKnownUrl(Logins.ISSUER_ID).uri()).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (discovery.statusCode() != 200) {
                throw new IllegalStateException("mock IdP discovery answered " + discovery.statusCode());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every request the IdP got so far that has not been taken yet, taken now, in order. */
    static List<RecordedRequest> takeRequests(MockOAuth2Server idp) {
        List<RecordedRequest> taken = new ArrayList<>();
        // The server records a request before it answers it, so every request of a finished exchange is there.
        while (true) {
            try {
                taken.add(idp.takeRequest(50, TimeUnit.MILLISECONDS));
            } catch (RuntimeException empty) {
                return taken;
            }
        }
    }

    /** The token requests among {@link #takeRequests}. */
    static List<RecordedRequest> takeTokenRequests(MockOAuth2Server idp) {
        return takeRequests(idp).stream().filter(request -> request.getPath() != null
                && request.getPath().endsWith("/token")).toList();
    }

    /** The form parameters of a recorded request, decoded; the first value of each name. */
    static Map<String, String> form(RecordedRequest request) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : request.getBody().clone().readUtf8().split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                parameters.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return parameters;
    }

    private static boolean isClientCredentials(OAuth2HttpRequest request) {
        return "POST".equals(request.getMethod()) && request.getUrl().encodedPath().endsWith("/token")
                && GrantType.CLIENT_CREDENTIALS.getValue().equals(request.getFormParameters().get("grant_type"));
    }

    /** Auth0 answers a wrong client id or secret with 401 access_denied "Unauthorized". */
    private final class RefuseUnknownClients implements Route {
        @Override
        public boolean match(OAuth2HttpRequest request) {
            if (!isClientCredentials(request)) {
                return false;
            }
            try {
                ClientAuthentication authentication = ClientAuthentication.parse(request.asNimbusHTTPRequest());
                String secret = authentication instanceof ClientSecretBasic basic ? basic.getClientSecret().getValue()
                        : authentication instanceof ClientSecretPost post ? post.getClientSecret().getValue() : null;
                Client client = authentication == null ? null : clients.get(authentication.getClientID().getValue());
                return client == null || !client.secret().equals(secret);
            } catch (ParseException e) {
                return true;
            }
        }

        @Override
        public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
            return new OAuth2HttpResponse(Headers.of("Content-Type", "application/json"), 401,
                    "{\"error\":\"access_denied\",\"error_description\":\"Unauthorized\"}", null);
        }
    }

    /** Tokens of the client-credentials grant as Auth0 issues them; other grants as the mock always does. */
    private final class Tokens implements OAuth2TokenCallback {
        private final DefaultOAuth2TokenCallback others = new DefaultOAuth2TokenCallback();

        @Override
        public String issuerId() {
            return Logins.ISSUER_ID;
        }

        private static boolean machine(TokenRequest request) {
            return request.getAuthorizationGrant().getType().equals(GrantType.CLIENT_CREDENTIALS);
        }

        private static String clientId(TokenRequest request) {
            return request.getClientAuthentication() != null
                    ? request.getClientAuthentication().getClientID().getValue() : request.getClientID().getValue();
        }

        @Override
        public String subject(TokenRequest request) {
            return machine(request) ? clientId(request) + "@clients" : others.subject(request);
        }

        @Override
        public String typeHeader(TokenRequest request) {
            return others.typeHeader(request);
        }

        @Override
        public List<String> audience(TokenRequest request) {
            if (!machine(request)) {
                return others.audience(request);
            }
            List<String> audience = request.getCustomParameter("audience");
            return audience == null ? List.of() : audience;
        }

        @Override
        public Map<String, Object> addClaims(TokenRequest request) {
            if (!machine(request)) {
                return others.addClaims(request);
            }
            Client client = clients.get(clientId(request));
            Map<String, Object> claims = new LinkedHashMap<>();
            claims.put("azp", clientId(request));
            claims.put("gty", "client-credentials");
            claims.put("scope", client.scope());
            return claims;
        }

        @Override
        public long tokenExpiry() {
            return 3600;
        }
    }
}
