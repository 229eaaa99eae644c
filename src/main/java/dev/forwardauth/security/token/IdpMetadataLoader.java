package dev.forwardauth.security.token;

import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.util.Objects;

/** Fetches {@code <domain>/.well-known/openid-configuration} once, with timeouts, and applies the overrides. */
public final class IdpMetadataLoader {
    private static final String WELL_KNOWN = ".well-known/openid-configuration";

    private final ResourceRetriever retriever;

    public IdpMetadataLoader(HttpTimeouts timeouts) {
        this.retriever = timeouts.retriever();
    }

    public IdpMetadataLoader() {
        this(HttpTimeouts.DEFAULT);
    }

    public IdpMetadata load(URI domain, IdpOverrides overrides) throws IdpUnavailableException {
        Objects.requireNonNull(overrides, "overrides");
        URI url = discoveryUrl(domain);
        OIDCProviderMetadata metadata = parse(url, fetch(url));
        apply(overrides, metadata);
        requireEndpoints(url, metadata);
        return new IdpMetadata(url, metadata);
    }

    /** Exactly one slash between the domain and the well-known path, whether or not the domain ends in one. */
    public static URI discoveryUrl(URI domain) {
        String base = Objects.requireNonNull(domain, "domain").toString();
        int end = base.length();
        while (end > 0 && base.charAt(end - 1) == '/') {
            end--;
        }
        return URI.create(base.substring(0, end) + "/" + WELL_KNOWN);
    }

    private String fetch(URI url) throws IdpUnavailableException {
        try {
            return retriever.retrieveResource(url.toURL()).getContent();
        } catch (IOException | RuntimeException e) {
            // RuntimeException: HttpURLConnection reports some malformed responses and URLs unchecked.
            throw new IdpUnavailableException(
                    "identity provider unavailable: cannot fetch " + url + ": " + describe(e), e);
        }
    }

    private static OIDCProviderMetadata parse(URI url, String body) throws IdpUnavailableException {
        try {
            return OIDCProviderMetadata.parse(body);
        } catch (ParseException e) {
            throw new IdpUnavailableException(
                    "identity provider unavailable: " + url + " is not OpenID provider metadata: " + e.getMessage(), e);
        }
    }

    private static void apply(IdpOverrides overrides, OIDCProviderMetadata metadata) {
        if (overrides.authorizeUrl() != null) {
            metadata.setAuthorizationEndpointURI(overrides.authorizeUrl());
        }
        if (overrides.tokenEndpoint() != null) {
            metadata.setTokenEndpointURI(overrides.tokenEndpoint());
        }
        if (overrides.userinfoEndpoint() != null) {
            metadata.setUserInfoEndpointURI(overrides.userinfoEndpoint());
        }
        if (overrides.logoutEndpoint() != null) {
            metadata.setEndSessionEndpointURI(overrides.logoutEndpoint());
        }
        if (overrides.jwksUri() != null) {
            metadata.setJWKSetURI(overrides.jwksUri());
        }
    }

    // Nimbus accepts metadata without a token endpoint (implicit-only IdPs); the code flow cannot work without it.
    private static void requireEndpoints(URI url, OIDCProviderMetadata metadata) throws IdpUnavailableException {
        if (metadata.getTokenEndpointURI() == null) {
            throw new IdpUnavailableException("identity provider unavailable: " + url
                    + " has no token_endpoint (set token-endpoint in the configuration)", null);
        }
    }

    static String describe(Throwable e) {
        // HttpURLConnection reports 404 and 410 as FileNotFoundException carrying only the URL we already name.
        if (e instanceof FileNotFoundException) {
            return "HTTP 404 or 410 (not found)";
        }
        String type = e.getClass().getSimpleName();
        return e.getMessage() == null || e.getMessage().isBlank() ? type : type + ": " + e.getMessage();
    }
}
