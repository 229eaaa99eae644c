package dev.forwardauth.web;

import dev.forwardauth.security.AppSecurity;
import dev.forwardauth.security.ForwardAuthSecurity;
import dev.forwardauth.security.IdpUnavailableError;
import dev.forwardauth.security.LiveSecurity;
import dev.forwardauth.security.token.IdpUnavailableException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.exception.http.RedirectionAction;
import org.pac4j.core.exception.http.WithLocationAction;
import org.pac4j.core.profile.UserProfile;
import org.pac4j.jee.context.JEEContext;

/**
 * Deletes the session cookie in this very response, then sends the browser to the IdP's logout: Auth0's
 * {@code /v2/logout} (client_id, returnTo) when {@code logout-endpoint} names it, else the OIDC
 * end_session_endpoint (id_token_hint, post_logout_redirect_uri, built by pac4j); back to
 * {@code return-to}. With no IdP logout to go to, straight to {@code return-to} or a "signed out" page.
 */
final class SignoutServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient LiveSecurity live;
    private final transient OutcomeWriter writer;

    SignoutServlet(LiveSecurity live, OutcomeWriter writer) {
        this.live = live;
        this.writer = writer;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ForwardAuthSecurity security = live.current();
        JEEContext context = new JEEContext(request, response);
        String host = EffectiveRequest.hostName(request, security.trustedProxies());
        if (host == null) {
            writer.write(request, response, new Outcome.Refused(400, "Cannot sign out",
                    "the X-Forwarded-Host or Host header is missing or malformed"));
            return;
        }
        Optional<AppSecurity> app = security.appFor(host);
        if (app.isEmpty()) {
            writer.write(request, response, new Outcome.Refused(400, "Cannot sign out",
                    "no app is configured for host " + host));
            return;
        }
        boolean secure = EffectiveRequest.isHttps(request, security.trustedProxies());
        request.setAttribute(AppSecurity.ATTRIBUTE, app.get());
        request.setAttribute(RequestAttributes.SECURE, secure);
        Optional<UserProfile> profile = security.anySessionProfile(context, app.get());
        security.sessionStore().destroySession(context);
        String location = logoutLocation(security, app.get(), context, profile.orElse(null));
        Cookies.commit(security, context, request);
        security.sessionStore().deleteSessionIn(context, security.otherSessionCookieScopes(app.get(), host, secure));
        if (location == null) {
            writer.write(request, response, new Outcome.Notice("Signed out", "You are signed out."));
        } else {
            writer.write(request, response, new Outcome.Redirect(302, location));
        }
    }

    private static String logoutLocation(ForwardAuthSecurity security, AppSecurity app, JEEContext context,
                                         UserProfile profile) {
        URI returnTo = app.config().returnTo();
        Optional<URI> override = security.config().logoutEndpoint();
        if (override.isPresent() && override.get().getPath().endsWith("/v2/logout")) {
            return withParameters(override.get(), "client_id=" + encode(app.config().clientId())
                    + (returnTo == null ? "" : "&returnTo=" + encode(returnTo.toString())));
        }
        try {
            app.requireIdp();
            if (profile != null) {
                Optional<RedirectionAction> action = app.oidcClient().getLogoutAction(
                        new CallContext(context, security.sessionStore()), profile,
                        returnTo == null ? null : returnTo.toString());
                if (action.isPresent() && action.get() instanceof WithLocationAction redirect) {
                    return redirect.getLocation();
                }
            }
            // No (valid) session here, but the IdP may still hold one: RP-initiated logout without
            // id_token_hint names the client instead (OpenID Connect RP-Initiated Logout 1.0, section 2).
            URI endSession = security.idp().metadata().endSessionEndpoint();
            if (endSession != null) {
                return withParameters(endSession, "client_id=" + encode(app.config().clientId())
                        + (returnTo == null ? "" : "&post_logout_redirect_uri=" + encode(returnTo.toString())));
            }
        } catch (IdpUnavailableError | IdpUnavailableException e) {
            // The session is gone either way; without the IdP we can only send the user back.
        }
        return returnTo == null ? null : returnTo.toString();
    }

    // An endpoint may have a query of its own (Auth0's federated logout is /v2/logout?federated): it stays,
    // and ours follows after "&".
    private static String withParameters(URI endpoint, String parameters) {
        return endpoint + (endpoint.getRawQuery() == null ? "?" : "&") + parameters;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
