package dev.forwardauth.security;

import dev.forwardauth.security.token.IdpUnavailableException;
import dev.forwardauth.security.token.InvalidAccessTokenException;
import dev.forwardauth.security.token.TokenValidator;
import dev.forwardauth.security.token.ValidatedAccessToken;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.credentials.Credentials;
import org.pac4j.core.profile.UserProfile;
import org.pac4j.core.profile.creator.ProfileCreator;
import org.pac4j.oidc.client.OidcClient;
import org.pac4j.oidc.config.OidcConfiguration;
import org.pac4j.oidc.credentials.OidcCredentials;
import org.pac4j.oidc.profile.OidcProfile;
import org.pac4j.oidc.profile.creator.OidcProfileCreator;

/**
 * pac4j validates the ID token; decisions are made on the ACCESS token (SPEC 1), so it is validated too,
 * as an access token for the app's audience, before a session is made from it. An opaque token or one for
 * another API ends the login with a message instead of a session that could never pass a policy; so does an
 * access token for another user than the ID token, or one that cannot make a usable session at all (SPEC 4: a
 * 302 back to the page means a session cookie). The same checks hold for the tokens of a renewal.
 */
final class LoginTokenCheck implements ProfileCreator {
    private final OidcProfileCreator delegate;
    private final TokenValidator accessTokens;
    private final Clock clock;

    LoginTokenCheck(OidcConfiguration configuration, OidcClient client, TokenValidator accessTokens, Clock clock) {
        this.delegate = new OidcProfileCreator(configuration, client);
        this.accessTokens = accessTokens;
        this.clock = clock;
    }

    @Override
    public Optional<UserProfile> create(CallContext ctx, Credentials credentials) {
        // OIDC Core 3.1.3.3: the answer to a code exchange must carry an ID token. pac4j skips the ID-token
        // checks when there is none and builds a profile without a subject: the user was sent back as if
        // signed in, with no session cookie, and looped. (A refresh may omit it; the session keeps the old.)
        if (credentials instanceof OidcCredentials exchanged && !exchanged.isRefreshedCredentials()
                && exchanged.getIdToken() == null) {
            throw new LoginFailedException("the identity provider returned no ID token");
        }
        Optional<UserProfile> profile = delegate.create(ctx, credentials);
        if (profile.isPresent() && profile.get() instanceof OidcProfile oidc) {
            if (oidc.getAccessToken() == null) {
                throw new LoginFailedException("the identity provider returned no access token");
            }
            ValidatedAccessToken token = validated(oidc);
            sameUser(oidc, token);
            Date exp = Date.from(token.expiresAt());
            // pac4j dates the session's access token by the token response's expires_in. An IdP whose
            // expires_in outlasts the token's own exp would leave a session that passes requests with an
            // expired access token (SPEC 1: exp is checked): the earlier of the two counts.
            if (oidc.getExpiration() == null || exp.before(oidc.getExpiration())) {
                oidc.setExpiration(exp);
            }
            notExpiredYet(oidc, token);
        }
        return profile;
    }

    private ValidatedAccessToken validated(OidcProfile oidc) {
        try {
            return accessTokens.validate(oidc.getAccessToken().getValue());
        } catch (InvalidAccessTokenException e) {
            throw new LoginFailedException("the identity provider's " + e.getMessage());
        } catch (IdpUnavailableException e) {
            throw new IdpUnavailableError(e);
        }
    }

    // X-Forwarded-User comes from the ID token, the bearer token upstream apps act on is the access token: if
    // they name different users, the app would be told one user and handed another's rights. Only a
    // contradiction counts; an access token without sub names nobody else. Neither subject is shown.
    private static void sameUser(OidcProfile oidc, ValidatedAccessToken token) {
        if (token.subject() != null && oidc.getId() != null && !token.subject().equals(oidc.getId())) {
            throw new LoginFailedException("the access token is for another user than the ID token");
        }
    }

    // The validator allows some clock skew, so a token whose exp passed seconds ago is still valid; but a session
    // without a refresh token ends when its access token does, so none would be written and the user would be
    // sent back to the page without one, to the IdP again, and round. With a refresh token it would be renewed
    // at once, from an IdP whose fresh tokens arrive expired: the same again. Both are refused, saying why.
    private void notExpiredYet(OidcProfile oidc, ValidatedAccessToken token) {
        Instant now = clock.instant();
        if (!token.expiresAt().isAfter(now)) {
            throw new LoginFailedException("the access token has already expired (its exp was "
                    + Duration.between(token.expiresAt(), now).toSeconds() + " s ago), so it cannot make a session;"
                    + " check that the clocks of the identity provider and of forwardauth agree");
        }
        if (!oidc.getExpiration().toInstant().isAfter(now)) {
            throw new LoginFailedException("the identity provider's token response says the access token expires"
                    + " at once (expires_in), so it cannot make a session");
        }
    }
}
