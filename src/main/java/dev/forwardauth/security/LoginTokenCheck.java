package dev.forwardauth.security;

import dev.forwardauth.security.token.IdpUnavailableException;
import dev.forwardauth.security.token.InvalidAccessTokenException;
import dev.forwardauth.security.token.TokenValidator;
import java.util.Optional;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.credentials.Credentials;
import org.pac4j.core.profile.UserProfile;
import org.pac4j.core.profile.creator.ProfileCreator;
import org.pac4j.oidc.client.OidcClient;
import org.pac4j.oidc.config.OidcConfiguration;
import org.pac4j.oidc.profile.OidcProfile;
import org.pac4j.oidc.profile.creator.OidcProfileCreator;

/**
 * pac4j validates the ID token; decisions are made on the ACCESS token (SPEC 1), so it is validated too,
 * as an access token for the app's audience, before a session is made from it. An opaque token or one for
 * another API ends the login with a message instead of a session that could never pass a policy.
 */
final class LoginTokenCheck implements ProfileCreator {
    private final OidcProfileCreator delegate;
    private final TokenValidator accessTokens;

    LoginTokenCheck(OidcConfiguration configuration, OidcClient client, TokenValidator accessTokens) {
        this.delegate = new OidcProfileCreator(configuration, client);
        this.accessTokens = accessTokens;
    }

    @Override
    public Optional<UserProfile> create(CallContext ctx, Credentials credentials) {
        Optional<UserProfile> profile = delegate.create(ctx, credentials);
        if (profile.isPresent() && profile.get() instanceof OidcProfile oidc) {
            if (oidc.getAccessToken() == null) {
                throw new LoginFailedException("the identity provider returned no access token");
            }
            try {
                accessTokens.validate(oidc.getAccessToken().getValue());
            } catch (InvalidAccessTokenException e) {
                throw new LoginFailedException("the identity provider's " + e.getMessage());
            } catch (IdpUnavailableException e) {
                throw new IdpUnavailableError(e);
            }
        }
        return profile;
    }
}
