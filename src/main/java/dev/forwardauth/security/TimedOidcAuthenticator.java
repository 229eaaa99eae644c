package dev.forwardauth.security;

import dev.forwardauth.security.token.IdpCall;
import dev.forwardauth.security.token.Telemetry;
import java.util.Optional;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.credentials.Credentials;
import org.pac4j.oidc.client.OidcClient;
import org.pac4j.oidc.config.OidcConfiguration;
import org.pac4j.oidc.credentials.OidcCredentials;
import org.pac4j.oidc.credentials.authenticator.OidcAuthenticator;

/**
 * pac4j's authenticator, unchanged, with its two calls to the IdP's token endpoint timed for the metrics: the
 * code exchange at the end of a login and the refresh-token grant that renews a session.
 */
final class TimedOidcAuthenticator extends OidcAuthenticator {
    private final Telemetry telemetry;

    TimedOidcAuthenticator(OidcConfiguration configuration, OidcClient client, Telemetry telemetry) {
        super(configuration, client);
        this.telemetry = telemetry;
    }

    @Override
    public Optional<Credentials> validate(CallContext ctx, Credentials cred) {
        // Without a code pac4j makes no call.
        if (!(cred instanceof OidcCredentials oidc) || oidc.toAuthorizationCode() == null) {
            return super.validate(ctx, cred);
        }
        long start = System.nanoTime();
        boolean failed = true;
        try {
            Optional<Credentials> result = super.validate(ctx, cred);
            failed = false;
            return result;
        } finally {
            telemetry.idpCall(IdpCall.TOKEN, System.nanoTime() - start, failed);
        }
    }

    @Override
    public void refresh(OidcCredentials credentials) {
        if (credentials.toRefreshToken() == null) {
            super.refresh(credentials);
            return;
        }
        long start = System.nanoTime();
        boolean failed = true;
        try {
            super.refresh(credentials);
            failed = false;
        } finally {
            telemetry.idpCall(IdpCall.REFRESH, System.nanoTime() - start, failed);
        }
    }
}
