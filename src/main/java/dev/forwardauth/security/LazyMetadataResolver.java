package dev.forwardauth.security;

import dev.forwardauth.security.token.IdpUnavailableException;
import org.pac4j.oidc.config.OidcConfiguration;
import org.pac4j.oidc.metadata.OidcOpMetadataResolver;

/**
 * Gives pac4j the IdP metadata we fetched ourselves (endpoint overrides applied, our timeouts), on first
 * need rather than at start-up, so forwardauth serves sessions and anonymous rules while the IdP is down.
 * Every flow that needs the IdP calls {@link #ensureLoaded()} before handing over to pac4j: it throws
 * {@link IdpUnavailableError} (503) instead of letting pac4j run on without metadata.
 */
final class LazyMetadataResolver extends OidcOpMetadataResolver {
    private final IdentityProvider idp;

    LazyMetadataResolver(OidcConfiguration configuration, IdentityProvider idp) {
        super(configuration);
        this.idp = idp;
    }

    synchronized void ensureLoaded() {
        if (loaded == null) {
            internalLoad();
        }
    }

    @Override
    public boolean hasChanged() {
        // pac4j's load() reloads only when this says so; the metadata never changes once fetched.
        return loaded == null;
    }

    @Override
    protected synchronized void internalLoad() {
        if (loaded != null) {
            return;
        }
        try {
            var metadata = idp.metadata().providerMetadata();
            this.loaded = metadata;
        } catch (IdpUnavailableException e) {
            throw new IdpUnavailableError(e);
        }
        this.clientAuthentication = computeClientAuthentication();
        this.tokenValidator = createTokenValidator();
    }
}
