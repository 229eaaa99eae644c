package dev.forwardauth.security;

import dev.forwardauth.security.token.ValidatedAccessToken;
import org.pac4j.core.profile.CommonProfile;

/**
 * The profile of an API client that sent {@code Authorization: Bearer <JWT>}. Lives for one request only
 * (direct clients never save it in the session), so it holds the validated token itself.
 */
public final class AccessTokenProfile extends CommonProfile {
    private static final long serialVersionUID = 1L;

    private final transient ValidatedAccessToken token;
    private final transient String rawToken;

    public AccessTokenProfile(ValidatedAccessToken token, String rawToken) {
        this.token = token;
        this.rawToken = rawToken;
        if (token.subject() != null) {
            setId(token.subject());
        } else {
            // Client-credentials tokens may carry no sub; the client id (azp or client_id) names the caller.
            Object azp = token.claims().getOrDefault("azp", token.claims().get("client_id"));
            setId(azp == null ? "unknown" : azp.toString());
        }
    }

    public ValidatedAccessToken token() {
        return token;
    }

    public String rawToken() {
        return rawToken;
    }
}
