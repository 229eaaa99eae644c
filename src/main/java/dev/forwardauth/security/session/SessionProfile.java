package dev.forwardauth.security.session;

import com.nimbusds.oauth2.sdk.token.AccessToken;
import org.pac4j.oidc.profile.OidcProfile;
import org.pac4j.oidc.profile.OidcProfileDefinition;

/**
 * The pac4j profile of a session read from its cookie: an {@link OidcProfile} in every respect, except that it
 * answers {@link #getAccessToken()} with the token it was built from. pac4j's own getter decodes its attribute
 * (base64, then JSON through a new Jackson ObjectMapper) on every call, and /authorize asks for the token on
 * every request, twice; that was most of the cost of a request with a session cookie.
 */
public final class SessionProfile extends OidcProfile {
    private static final long serialVersionUID = 1L;

    private final transient AccessToken accessToken;
    private final transient Object encodedAccessToken;

    /** For deserialisation only (pac4j profiles are Externalizable): answers like a plain OidcProfile. */
    public SessionProfile() {
        this(null, null);
    }

    /**
     * @param accessToken what {@code encodedAccessToken} decodes to
     * @param encodedAccessToken pac4j's attribute value for that token, as this profile is given it
     */
    SessionProfile(AccessToken accessToken, Object encodedAccessToken) {
        this.accessToken = accessToken;
        this.encodedAccessToken = encodedAccessToken;
    }

    @Override
    public AccessToken getAccessToken() {
        // Only while the attribute is still the very value it was built with: anything that replaced or removed
        // it (a renewal, removeLoginData) gets pac4j's own answer.
        Object attribute = getAttribute(OidcProfileDefinition.ACCESS_TOKEN);
        if (accessToken != null && attribute == encodedAccessToken) {
            return accessToken;
        }
        return super.getAccessToken();
    }
}
