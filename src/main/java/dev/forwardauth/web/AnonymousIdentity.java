package dev.forwardauth.web;

import dev.forwardauth.security.AccessTokenProfile;
import dev.forwardauth.security.AppSecurity;
import dev.forwardauth.security.ForwardAuthSecurity;
import dev.forwardauth.security.Identities;
import dev.forwardauth.security.Identity;
import dev.forwardauth.security.machine.ClientCredentials;
import dev.forwardauth.security.token.IdpUnavailableException;
import dev.forwardauth.security.token.InvalidAccessTokenException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.pac4j.jee.context.JEEContext;

/**
 * Anonymous rules still send the identity headers when the caller happens to be signed in (apps show
 * "signed in as"), but never start a login and never call the IdP: an expired session or a bad token
 * simply means no identity, and Basic client credentials count only while their token is cached.
 */
final class AnonymousIdentity {
    private AnonymousIdentity() {
    }

    static Identity find(ForwardAuthSecurity security, HttpServletRequest request, HttpServletResponse response,
                         AppSecurity app) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).trim();
            try {
                return Identities.of(new AccessTokenProfile(app.accessTokens().validate(token), token), app);
            } catch (InvalidAccessTokenException | IdpUnavailableException e) {
                return null;
            }
        }
        if (ClientCredentials.isBasic(authorization) && app.basicClient().isPresent()) {
            // A machine client whose token is still cached; an exchange would be a call to the IdP.
            return app.basicClient().get().cachedProfile(authorization)
                    .map(profile -> Identities.of(profile, app)).orElse(null);
        }
        if (request.getHeader("Cookie") == null) {
            return null;
        }
        JEEContext context = new JEEContext(request, response);
        return security.sessionProfile(context, app).map(profile -> Identities.of(profile, app)).orElse(null);
    }
}
