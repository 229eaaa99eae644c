package dev.forwardauth.security.token;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.net.URI;
import java.util.Objects;

/**
 * What forwardauth needs from the IdP's discovery document, after the configured overrides. Immutable: the
 * Nimbus metadata object is mutable, so only its JSON is kept and {@link #providerMetadata()} hands out a copy.
 */
public final class IdpMetadata {
    private final URI discoveryUrl;
    private final String issuer;
    private final URI authorizationEndpoint;
    private final URI tokenEndpoint;
    private final URI userinfoEndpoint;
    private final URI endSessionEndpoint;
    private final URI jwksUri;
    private final String json;

    IdpMetadata(URI discoveryUrl, OIDCProviderMetadata metadata) {
        this.discoveryUrl = Objects.requireNonNull(discoveryUrl);
        this.issuer = metadata.getIssuer().getValue();
        this.authorizationEndpoint = Objects.requireNonNull(metadata.getAuthorizationEndpointURI());
        this.tokenEndpoint = Objects.requireNonNull(metadata.getTokenEndpointURI());
        this.userinfoEndpoint = metadata.getUserInfoEndpointURI();
        this.endSessionEndpoint = metadata.getEndSessionEndpointURI();
        this.jwksUri = Objects.requireNonNull(metadata.getJWKSetURI());
        this.json = metadata.toJSONObject().toJSONString();
    }

    public URI discoveryUrl() {
        return discoveryUrl;
    }

    /** The discovery document's {@code issuer}: the exact {@code iss} that tokens must carry (SPEC 3). */
    public String issuer() {
        return issuer;
    }

    public URI authorizationEndpoint() {
        return authorizationEndpoint;
    }

    public URI tokenEndpoint() {
        return tokenEndpoint;
    }

    /** Null when the IdP publishes none and none is configured. */
    public URI userinfoEndpoint() {
        return userinfoEndpoint;
    }

    /** The {@code logout-endpoint} override, else the discovered {@code end_session_endpoint}; may be null. */
    public URI endSessionEndpoint() {
        return endSessionEndpoint;
    }

    public URI jwksUri() {
        return jwksUri;
    }

    /** A fresh copy with the overrides applied, for pac4j's {@code OidcConfiguration} as static metadata. */
    public OIDCProviderMetadata providerMetadata() {
        try {
            return OIDCProviderMetadata.parse(json);
        } catch (ParseException e) {
            // The JSON was produced by Nimbus from a parsed object; failing here is a library bug, not input.
            throw new IllegalStateException("cannot re-read provider metadata", e);
        }
    }

    @Override
    public String toString() {
        return "IdpMetadata[issuer=" + issuer + ", discovery=" + discoveryUrl + "]";
    }
}
