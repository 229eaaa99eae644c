package dev.forwardauth.web;

import dev.forwardauth.security.AppSecurity;
import dev.forwardauth.security.ForwardAuthSecurity;
import dev.forwardauth.security.LiveSecurity;
import com.nimbusds.jwt.JWTParser;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.pac4j.core.profile.UserProfile;
import org.pac4j.jee.context.JEEContext;
import org.pac4j.oidc.profile.OidcProfile;

/**
 * The session's ID-token claims as JSON, as the IdP issued them (numbers stay numbers, e.g. {@code exp}), for
 * pages that want to show who is signed in. Never a token, and not the protocol values that only bind the
 * ID token to its login ({@code nonce}, {@code at_hash}, {@code c_hash}). The claims are read from the ID token
 * kept in the session cookie: pac4j's profile attributes have dates turned into strings and a
 * {@code token_expiration_advance} of its own.
 */
final class UserinfoServlet extends GetOnlyServlet {
    private static final long serialVersionUID = 1L;
    private static final Set<String> NEVER_SHOWN = Set.of("nonce", "at_hash", "c_hash");

    private final transient LiveSecurity live;

    UserinfoServlet(LiveSecurity live, OutcomeWriter writer) {
        super(writer);
        this.live = live;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ForwardAuthSecurity security = live.current();
        String host = EffectiveRequest.hostName(request, security.trustedProxies());
        Optional<AppSecurity> app = host == null ? Optional.empty() : security.appFor(host);
        Optional<UserProfile> profile = app.flatMap(a -> security.standingSessionProfile(new JEEContext(request, response), a));
        if (profile.isEmpty()) {
            // SPEC 4: "401 JSON without a session", whatever the Accept header says: this is a JSON endpoint,
            // and a page that fetches it must be able to parse every answer.
            writer.write(new HttpServletRequestWrapper(request) {
                @Override
                public String getHeader(String name) {
                    return "Accept".equalsIgnoreCase(name) ? "application/json" : super.getHeader(name);
                }
            }, response, new Outcome.Unauthenticated(null, null));
            return;
        }
        Map<String, Object> claims = new LinkedHashMap<>(idTokenClaims(profile.get()));
        claims.keySet().removeAll(NEVER_SHOWN);
        writer.json(response, Json.BINDING.toJson(claims).getBytes(StandardCharsets.UTF_8));
    }

    // The ID token was validated at sign-in and comes back sealed in our own cookie: parsing is all it needs.
    private static Map<String, Object> idTokenClaims(UserProfile profile) {
        if (profile instanceof OidcProfile oidc && oidc.getIdTokenString() != null) {
            try {
                return JWTParser.parse(oidc.getIdTokenString()).getJWTClaimsSet().toJSONObject();
            } catch (ParseException e) {
                // cannot happen for a token that passed sign-in; the subject is still known
            }
        }
        return Map.of("sub", profile.getId());
    }

    // JSON-B's runtime takes long to start (hundreds of milliseconds of class loading) and /userinfo is a
    // rare request: built on the first one, not while forwardauth starts.
    private static final class Json {
        static final Jsonb BINDING = JsonbBuilder.create();
    }
}
