package dev.forwardauth.web;

import dev.forwardauth.security.ForwardAuthSecurity;
import dev.forwardauth.security.Identities;
import dev.forwardauth.security.RequestScope;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.pac4j.core.profile.UserProfile;
import org.pac4j.jee.context.JEEContext;

/**
 * Reached only when pac4j's security filter granted the request: 200 with the identity headers. A
 * session renewed on the way (refresh token) rides on this 200 as Set-Cookie, which Traefik passes to the
 * browser only with {@code addAuthCookiesToResponse}.
 */
final class AuthorizeServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient OutcomeWriter writer;

    AuthorizeServlet(OutcomeWriter writer) {
        this.writer = writer;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        RequestScope scope = (RequestScope) request.getAttribute(RequestScope.ATTRIBUTE);
        JEEContext context = new JEEContext(request, response);
        List<UserProfile> profiles = ForwardAuthSecurity.usableProfiles(context);
        if (profiles.isEmpty()) {
            // pac4j grants without a profile only when no matcher applied; we never configure that, so this
            // is a wiring error: fail closed.
            throw new IllegalStateException("security filter granted a request without a profile");
        }
        Cookies.commit(scope.security(), context, request);
        writer.write(request, response, new Outcome.Allow(Identities.of(profiles.get(0), scope.app())));
    }
}
