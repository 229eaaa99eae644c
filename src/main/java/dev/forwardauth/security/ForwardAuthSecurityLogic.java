package dev.forwardauth.security;

import java.util.ArrayList;
import java.util.List;
import org.pac4j.core.client.Client;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.engine.DefaultSecurityLogic;
import org.pac4j.core.profile.ProfileManager;
import org.pac4j.core.profile.UserProfile;

/**
 * pac4j's security logic with our two choices plugged in: the clients are those of the app the request's
 * host selected (not a list fixed per filter), and a session counts only for apps of the same IdP
 * application and API (a cookie shared over a {@code token-cookie-domain} must not carry one API's token
 * to another).
 */
final class ForwardAuthSecurityLogic extends DefaultSecurityLogic {
    static final String USABLE_PROFILES = ForwardAuthSecurityLogic.class.getName() + ".profiles";

    private final ForwardAuthSecurity security;

    ForwardAuthSecurityLogic(ForwardAuthSecurity security) {
        this.security = security;
        setClientFinder((clients, context, names) -> {
            RequestScope scope = (RequestScope) context.getRequestAttribute(RequestScope.ATTRIBUTE).orElseThrow();
            return scope.app().clients();
        });
        setMatchingChecker(new ResolvedOnceCheckers.Matching());
        setAuthorizationChecker(new ResolvedOnceCheckers.Authorization());
    }

    @Override
    protected List<UserProfile> loadProfiles(CallContext ctx, ProfileManager manager, List<Client> clients) {
        RequestScope scope = (RequestScope) ctx.webContext().getRequestAttribute(RequestScope.ATTRIBUTE).orElseThrow();
        List<UserProfile> profiles = manager.getProfiles();
        // A renewal that failed for want of the IdP: 503, not "no session" (the cookie is kept, since nothing
        // is committed on the way to the 503).
        Object unavailable = ctx.webContext().getRequestAttribute(ForwardAuthSecurity.RENEWAL_UNAVAILABLE).orElse(null);
        if (unavailable instanceof IdpUnavailableError error) {
            throw error;
        }
        List<UserProfile> usable = new ArrayList<>(1);
        for (UserProfile profile : profiles) {
            if (belongsTo(profile, scope.app())) {
                usable.add(profile);
            }
        }
        // The servlet that answers 200 reads the same, filtered list.
        ctx.webContext().setRequestAttribute(USABLE_PROFILES, usable);
        return usable;
    }

    private boolean belongsTo(UserProfile profile, AppSecurity app) {
        // A bearer profile was validated for this very app's audience a moment ago.
        return profile instanceof AccessTokenProfile || security.sameSession(profile, app);
    }
}
