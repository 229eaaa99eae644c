package dev.forwardauth.security;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.forwardauth.security.token.IdpUnavailableException;
import dev.forwardauth.security.token.JwksKeySource;
import org.pac4j.oidc.config.OidcConfiguration;
import org.pac4j.oidc.metadata.OidcOpMetadataResolver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.pac4j.oidc.profile.creator.TokenValidator;

/**
 * Gives pac4j the IdP metadata we fetched ourselves (endpoint overrides applied, our timeouts), on first
 * need rather than at start-up, so forwardauth serves sessions and anonymous rules while the IdP is down.
 * Every flow that needs the IdP calls {@link #ensureLoaded()} before handing over to pac4j: it throws
 * {@link IdpUnavailableError} (503) instead of letting pac4j run on without metadata. The wait for the IdP
 * happens outside any lock, in {@link IdentityProvider}'s bulkhead; only installing the answer is locked.
 * pac4j checks ID-token signatures with our {@link JwksKeySource} rather than a key cache of its own: one
 * cache, one set of limits for every call to the IdP, and an outage reported as such (pac4j's own source
 * reports a failed key fetch as "no matching key", which would be a 401 instead of a 503).
 */
final class LazyMetadataResolver extends OidcOpMetadataResolver {
    private final IdentityProvider idp;
    private volatile boolean ready;
    private JwksKeySource keys;
    private final Map<JWSAlgorithm, IDTokenValidator> byAlgorithm = new ConcurrentHashMap<>();

    LazyMetadataResolver(OidcConfiguration configuration, IdentityProvider idp) {
        super(configuration);
        this.idp = idp;
    }

    void ensureLoaded() {
        if (!ready) {
            install(fetch());
        }
    }

    @Override
    public boolean hasChanged() {
        // pac4j's load() reloads only when this says so; the metadata never changes once fetched.
        return !ready;
    }

    @Override
    protected void internalLoad() {
        if (!ready) {
            install(fetch());
        }
    }

    private Fetched fetch() {
        try {
            return new Fetched(idp.metadata().providerMetadata(), idp.keys());
        } catch (IdpUnavailableException e) {
            throw new IdpUnavailableError(e);
        }
    }

    private record Fetched(OIDCProviderMetadata metadata, JwksKeySource keys) {
    }

    @Override
    protected TokenValidator createTokenValidator() {
        return new OurKeysTokenValidator();
    }

    private synchronized void install(Fetched fetched) {
        if (ready) {
            return;
        }
        this.keys = fetched.keys();
        this.loaded = fetched.metadata();
        this.clientAuthentication = computeClientAuthentication();
        this.tokenValidator = createTokenValidator();
        ready = true;
    }

    /** pac4j's ID-token checks (issuer, audience, nonce, times, algorithms), with our keys. */
    private final class OurKeysTokenValidator extends TokenValidator {
        OurKeysTokenValidator() {
            super(configuration, loaded);
        }

        // Called from pac4j's constructor, once per algorithm the IdP signs ID tokens with; the fields it reads
        // belong to the enclosing resolver, set before this object is made.
        @Override
        protected IDTokenValidator createRSATokenValidator(JWSAlgorithm algorithm, ClientID clientId) {
            IDTokenValidator validator = new IDTokenValidator(loaded.getIssuer(), clientId,
                    new JWSVerificationKeySelector<SecurityContext>(algorithm, keys), null);
            byAlgorithm.put(algorithm, validator);
            return validator;
        }

        // pac4j tries the validator of every algorithm the IdP lists and, when all fail, reports a "wrong
        // algorithm" from the others over the failed key fetch of the token's own algorithm: a 401 for an
        // outage. The token's own algorithm's validator alone says what is wrong with it.
        @Override
        public IDTokenClaimsSet validate(JWT idToken, Nonce expectedNonce) throws BadJOSEException, JOSEException {
            Algorithm algorithm = idToken.getHeader().getAlgorithm();
            IDTokenValidator own = algorithm instanceof JWSAlgorithm jws ? byAlgorithm.get(jws) : null;
            return own != null ? own.validate(idToken, expectedNonce) : super.validate(idToken, expectedNonce);
        }
    }
}
