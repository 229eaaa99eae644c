package dev.forwardauth.security;

import dev.forwardauth.policy.Access;
import dev.forwardauth.policy.Grants;
import dev.forwardauth.policy.Verdict;
import dev.forwardauth.security.token.InvalidAccessTokenException;
import dev.forwardauth.security.token.TokenValidator;
import dev.forwardauth.security.token.ValidatedAccessToken;
import java.util.List;
import org.pac4j.core.authorization.authorizer.Authorizer;
import org.pac4j.core.context.WebContext;
import org.pac4j.core.context.session.SessionStore;
import org.pac4j.core.profile.UserProfile;
import org.pac4j.oidc.profile.OidcProfile;

/**
 * pac4j's authorization step: the request's policy requirement against the ACCESS token's scopes and
 * permissions (SPEC 1: never the ID token's). What is missing is left in the request for the 403's body.
 */
public final class PolicyAuthorizer implements Authorizer {
    public static final String NAME = "forwardauthPolicy";
    public static final String MISSING_ATTRIBUTE = PolicyAuthorizer.class.getName() + ".missing";

    private final TokenValidator sessionTokens;

    PolicyAuthorizer(TokenValidator sessionTokens) {
        this.sessionTokens = sessionTokens;
    }

    @Override
    public boolean isAuthorized(WebContext context, SessionStore sessionStore, List<UserProfile> profiles) {
        RequestScope scope = (RequestScope) context.getRequestAttribute(RequestScope.ATTRIBUTE).orElseThrow();
        if (scope.requirement().access() != Access.AUTHENTICATED) {
            // Anonymous and deny are decided at the edge, before any profile is looked at.
            return scope.requirement().access() == Access.ANONYMOUS;
        }
        Verdict verdict = scope.requirement().check(grants(profiles.get(0)));
        if (verdict instanceof Verdict.Missing missing) {
            context.setRequestAttribute(MISSING_ATTRIBUTE, missing);
            return false;
        }
        return true;
    }

    private Grants grants(UserProfile profile) {
        ValidatedAccessToken token = null;
        if (profile instanceof AccessTokenProfile bearer) {
            token = bearer.token();
        } else if (profile instanceof OidcProfile oidc && oidc.getAccessToken() != null) {
            try {
                token = sessionTokens.validate(oidc.getAccessToken().getValue());
            } catch (InvalidAccessTokenException e) {
                return Grants.NONE;
            } catch (dev.forwardauth.security.token.IdpUnavailableException e) {
                throw new IdpUnavailableError(e);
            }
        }
        return token == null ? Grants.NONE : Grants.fromClaims(token.scope(), token.scp(), token.permissions());
    }
}
