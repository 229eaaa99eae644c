package dev.forwardauth.security;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.pac4j.core.profile.UserProfile;
import org.pac4j.oidc.profile.OidcProfile;

/**
 * Turns a pac4j profile into the identity headers. A browser session's claims come from the ID token
 * (SPEC 4: profile claims are the ID token's); a bearer caller has no ID token, so its claims come from the
 * access token it sent.
 */
public final class Identities {
    private Identities() {
    }

    /** Null when the profile carries no access token (nothing to send upstream, so no identity). */
    public static Identity of(UserProfile profile, AppSecurity app) {
        if (profile instanceof AccessTokenProfile bearer) {
            Map<String, Object> claims = bearer.token().claims();
            return new Identity(bearer.rawToken(), profile.getId(), headers(app, claims::get));
        }
        AccessToken accessToken = profile instanceof OidcProfile oidc ? oidc.getAccessToken() : null;
        if (accessToken != null) {
            // pac4j keeps the ID token's "sub" as the profile id, not among the attributes: put it back, or
            // the default claims ["sub","name","email"] would never send X-Forwardauth-sub. Looked up one by
            // one: getAttributes() copies the whole map, tokens included, on every call.
            Function<String, Object> claims = name -> {
                Object value = profile.getAttribute(name);
                return value == null && name.equals("sub") ? profile.getId() : value;
            };
            return new Identity(accessToken.getValue(), profile.getId(), headers(app, claims));
        }
        return null;
    }

    private static Map<String, String> headers(AppSecurity app, Function<String, Object> claims) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> claim : app.claimHeaders().entrySet()) {
            Object value = claims.apply(claim.getKey());
            if (value != null) {
                headers.put(claim.getValue(), text(value));
            }
        }
        return headers;
    }

    // A list becomes "a,b" (as oauth2-proxy sends groups); a JSON object stays JSON, not Java's {k=v}.
    @SuppressWarnings("unchecked")
    private static String text(Object value) {
        if (value instanceof Collection<?> values) {
            StringBuilder joined = new StringBuilder();
            for (Object item : values) {
                joined.append(joined.length() == 0 ? "" : ",").append(text(item));
            }
            return joined.toString();
        }
        if (value instanceof Map<?, ?> object) {
            return JSONObjectUtils.toJSONString((Map<String, ?>) object);
        }
        return value.toString();
    }
}
