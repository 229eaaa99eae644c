package dev.forwardauth.security;

import dev.forwardauth.security.token.IdpUnavailableException;
import dev.forwardauth.security.token.InvalidAccessTokenException;
import dev.forwardauth.security.token.TokenValidator;
import java.util.Optional;
import org.pac4j.core.client.DirectClient;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.context.HttpConstants;
import org.pac4j.core.credentials.Credentials;
import org.pac4j.core.credentials.TokenCredentials;
import org.pac4j.core.profile.creator.AuthenticatorProfileCreator;

/**
 * pac4j's direct client for API callers: {@code Authorization: Bearer <JWT>} is validated as an access
 * token for this app (SPEC 1) and the same policy applies, no cookie needed. A refused token leaves its
 * reason in the request for the 401's {@code WWW-Authenticate} error_description.
 */
public final class BearerTokenClient extends DirectClient {
    public static final String TOKEN_ERROR_ATTRIBUTE = BearerTokenClient.class.getName() + ".error";

    private static final String SCHEME = "Bearer ";

    private final TokenValidator validator;

    BearerTokenClient(String name, TokenValidator validator) {
        this.validator = validator;
        setName(name);
    }

    @Override
    protected void internalInit(boolean forceReinit) {
        setCredentialsExtractorIfUndefined(BearerTokenClient::extract);
        setAuthenticatorIfUndefined(this::authenticate);
        setProfileCreatorIfUndefined(AuthenticatorProfileCreator.INSTANCE);
    }

    // The scheme is case-insensitive (RFC 9110, 11.1): pac4j's extractor takes only "Bearer ", and a client
    // that sends "bearer <token>" got a sign-in prompt for a valid token. Other schemes (Basic belongs to the
    // basic client) are not ours: pac4j's extractor would also log each one at INFO.
    private static Optional<Credentials> extract(CallContext ctx) {
        String header = ctx.webContext().getRequestHeader(HttpConstants.AUTHORIZATION_HEADER).orElse(null);
        if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Optional.empty();
        }
        return Optional.of(new TokenCredentials(header.substring(SCHEME.length()).strip()));
    }

    private Optional<Credentials> authenticate(CallContext ctx, Credentials credentials) {
        String token = ((TokenCredentials) credentials).getToken();
        try {
            credentials.setUserProfile(new AccessTokenProfile(validator.validate(token), token));
            return Optional.of(credentials);
        } catch (InvalidAccessTokenException e) {
            ctx.webContext().setRequestAttribute(TOKEN_ERROR_ATTRIBUTE, e.getMessage());
            return Optional.empty();
        } catch (IdpUnavailableException e) {
            throw new IdpUnavailableError(e);
        }
    }
}
