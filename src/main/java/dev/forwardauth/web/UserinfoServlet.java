package dev.forwardauth.web;

import dev.forwardauth.security.AppSecurity;
import dev.forwardauth.security.ForwardAuthSecurity;
import dev.forwardauth.security.LiveSecurity;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.pac4j.core.profile.UserProfile;
import org.pac4j.jee.context.JEEContext;

/**
 * The session's profile claims as JSON (from the ID token), for pages that want to show who is signed
 * in. Never a token: the ID, access and refresh tokens pac4j keeps among a profile's attributes are left
 * out by name.
 */
final class UserinfoServlet extends GetOnlyServlet {
    private static final long serialVersionUID = 1L;
    private static final Set<String> NEVER_SHOWN = Set.of("access_token", "id_token", "refresh_token",
            "token_type", "expiration", "nonce", "at_hash", "c_hash");

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
        Optional<UserProfile> profile = app.flatMap(a -> security.sessionProfile(new JEEContext(request, response), a));
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
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", profile.get().getId());
        profile.get().getAttributes().forEach((name, value) -> {
            if (!NEVER_SHOWN.contains(name)) {
                claims.put(name, value);
            }
        });
        writer.json(response, Json.BINDING.toJson(claims).getBytes(StandardCharsets.UTF_8));
    }

    // JSON-B's runtime takes long to start (hundreds of milliseconds of class loading) and /userinfo is a
    // rare request: built on the first one, not while forwardauth starts.
    private static final class Json {
        static final Jsonb BINDING = JsonbBuilder.create();
    }
}
