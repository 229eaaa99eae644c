package dev.forwardauth.security;

import java.util.Map;
import org.pac4j.oidc.client.OidcClient;
import org.pac4j.oidc.redirect.OidcRedirectionActionBuilder;

/**
 * pac4j's redirect to the IdP, for an authorization endpoint that has a query of its own: Azure AD B2C's
 * {@code ?p=policy}, or an {@code authorize-url} such as {@code .../authorize?prompt=login}. pac4j 6.2 joins
 * endpoint and parameters with a second {@code ?}, which folds the first parameter it adds ({@code audience})
 * into the endpoint's last value: the IdP never sees it, and Auth0 answers with an opaque access token.
 * RFC 6749 (3.1) says the endpoint's query must be kept; the parameters follow it after {@code &}.
 */
final class EndpointQueryRedirectionActionBuilder extends OidcRedirectionActionBuilder {
    EndpointQueryRedirectionActionBuilder(OidcClient client) {
        super(client);
    }

    @Override
    protected String buildAuthenticationRequestUrl(Map<String, String> params) {
        String url = super.buildAuthenticationRequestUrl(params);
        String endpoint = client.getConfiguration().getOpMetadataResolver().load().getAuthorizationEndpointURI()
                .toString();
        return joinQuery(endpoint, url);
    }

    /** {@code url} is pac4j's {@code endpoint + "?" + parameters}. */
    static String joinQuery(String endpoint, String url) {
        if (endpoint.indexOf('?') < 0 || !url.startsWith(endpoint + "?")) {
            return url;
        }
        String parameters = url.substring(endpoint.length() + 1);
        return endpoint.endsWith("?") || endpoint.endsWith("&") ? endpoint + parameters : endpoint + "&" + parameters;
    }
}
