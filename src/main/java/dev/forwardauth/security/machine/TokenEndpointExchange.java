package dev.forwardauth.security.machine;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.forwardauth.security.token.HttpTimeouts;
import dev.forwardauth.security.token.IdpMetadata;
import dev.forwardauth.security.token.IdpUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The client-credentials grant at the IdP's token endpoint (discovery's, or the {@code token-endpoint}
 * override), with the app's {@code audience} as Auth0 wants it for machine-to-machine applications. The
 * client authenticates with its own id and secret: in the form body ({@code client_secret_post}) when the
 * discovery document lists that method, as Auth0 does and as its machine-to-machine applications are set up by
 * default; otherwise with HTTP Basic ({@code client_secret_basic}, OAuth 2.0's default). Nimbus builds and
 * parses the messages; our timeouts bound the call.
 */
public final class TokenEndpointExchange implements TokenExchange {
    private static final int MAX_DESCRIPTION = 200;

    /** The IdP's discovery document (loaded lazily; 503 while the IdP is down). */
    @FunctionalInterface
    public interface Metadata {
        IdpMetadata get() throws IdpUnavailableException;
    }

    private final Metadata metadata;
    private final String audience;
    private final HttpTimeouts timeouts;

    public TokenEndpointExchange(Metadata metadata, String audience, HttpTimeouts timeouts) {
        this.metadata = Objects.requireNonNull(metadata);
        this.audience = Objects.requireNonNull(audience);
        this.timeouts = Objects.requireNonNull(timeouts);
    }

    @Override
    public IssuedToken exchange(ClientCredentials credentials)
            throws CredentialsRefusedException, IdpUnavailableException {
        IdpMetadata idp = metadata.get();
        URI endpoint = idp.tokenEndpoint();
        Secret secret = new Secret(credentials.secret());
        HTTPResponse response;
        try {
            response = send(request(endpoint, authentication(idp, new ClientID(credentials.clientId()), secret)));
        } catch (IOException | RuntimeException e) {
            // RuntimeException: HttpURLConnection reports some malformed answers unchecked. The message of
            // either names the endpoint and the cause, never what we sent.
            throw new IdpUnavailableException("identity provider unavailable: cannot reach its token endpoint "
                    + endpoint + ": " + describe(e), e);
        } finally {
            secret.erase();
        }
        return answer(endpoint, credentials.clientId(), response);
    }

    private TokenRequest request(URI endpoint, ClientAuthentication authentication) {
        return new TokenRequest.Builder(endpoint, authentication, new ClientCredentialsGrant())
                .customParameter("audience", audience)
                .build();
    }

    private HTTPResponse send(TokenRequest request) throws IOException {
        HTTPRequest http = request.toHTTPRequest();
        http.setConnectTimeout(millis(timeouts.connect()));
        http.setReadTimeout(millis(timeouts.read()));
        http.setFollowRedirects(false);
        http.setAccept("application/json");
        return http.send();
    }

    private static ClientAuthentication authentication(IdpMetadata idp, ClientID id, Secret secret) {
        List<ClientAuthenticationMethod> supported = idp.providerMetadata().getTokenEndpointAuthMethods();
        if (supported != null && supported.contains(ClientAuthenticationMethod.CLIENT_SECRET_POST)) {
            return new ClientSecretPost(id, secret);
        }
        return new ClientSecretBasic(id, secret);
    }

    private IssuedToken answer(URI endpoint, String clientId, HTTPResponse response)
            throws CredentialsRefusedException, IdpUnavailableException {
        int status = response.getStatusCode();
        if (status == HTTPResponse.SC_OK) {
            try {
                AccessTokenResponse tokens = AccessTokenResponse.parse(response);
                long lifetime = tokens.getTokens().getAccessToken().getLifetime();
                return new IssuedToken(tokens.getTokens().getAccessToken().getValue(),
                        lifetime > 0 ? Duration.ofSeconds(lifetime) : null);
            } catch (ParseException e) {
                throw new IdpUnavailableException("identity provider unavailable: " + endpoint
                        + " answered 200 without a usable token response: " + e.getMessage(), null);
            }
        }
        // 400 (invalid_client, unauthorized_client, invalid_request ...), 401 (wrong secret; Auth0's
        // access_denied) and 403 (Auth0: the client is not authorised for this API) are the IdP saying no to
        // these credentials. Anything else (429, 5xx, a redirect) says nothing about them: 503.
        if (status == 400 || status == 401 || status == 403) {
            throw new CredentialsRefusedException("the identity provider refused the client credentials of "
                    + clientId + " for audience " + audience + " (HTTP " + status + error(response) + ")");
        }
        throw new IdpUnavailableException("identity provider unavailable: " + endpoint + " answered HTTP " + status
                + error(response), null);
    }

    /** ": code: description" from an OAuth error body, shortened; empty when there is none. */
    private static String error(HTTPResponse response) {
        ErrorObject error;
        try {
            error = TokenErrorResponse.parse(response).getErrorObject();
        } catch (ParseException | RuntimeException e) {
            return "";
        }
        if (error == null || error.getCode() == null) {
            return "";
        }
        String text = error.getDescription() == null ? error.getCode() : error.getCode() + ": " + error.getDescription();
        text = text.replaceAll("\\p{Cntrl}", " ");
        return ", " + (text.length() > MAX_DESCRIPTION ? text.substring(0, MAX_DESCRIPTION) + "..." : text);
    }

    private static int millis(Duration timeout) {
        return (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    }

    private static String describe(Throwable e) {
        String type = e.getClass().getSimpleName();
        return e.getMessage() == null || e.getMessage().isBlank() ? type : type + ": " + e.getMessage();
    }
}
