package dev.forwardauth.web;

import dev.forwardauth.forward.TrustedProxies;
import dev.forwardauth.policy.Grants;
import dev.forwardauth.security.AppSecurity;
import dev.forwardauth.security.ForwardAuthSecurity;
import dev.forwardauth.security.LiveSecurity;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.pac4j.core.profile.UserProfile;
import org.pac4j.jee.context.JEEContext;

/**
 * {@code /status}: what this forwardauth runs with and what it decided lately, for a signed-in user whose
 * session's ACCESS token lists {@code status-permission} in its {@code permissions} (SPEC 1: never the ID
 * token). Without a usable session: a browser is sent to the start URL, which logs in and comes back here;
 * any other client gets the 401 /authorize gives API clients. With a session but not the permission: 403
 * naming it. Read-only; it never calls the identity provider and never renews a session.
 */
final class StatusServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient LiveSecurity live;
    private final transient OutcomeWriter writer;
    private final transient RecentDecisions decisions;
    private final transient Clock clock;
    private final transient Instant startedAt;
    private final String version;

    StatusServlet(LiveSecurity live, OutcomeWriter writer, RecentDecisions decisions, Clock clock,
                  Instant startedAt) {
        this.live = live;
        this.writer = writer;
        this.decisions = decisions;
        this.clock = clock;
        this.startedAt = startedAt;
        this.version = Version.current();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // One security for the whole request, even if a reload swaps it meanwhile.
        ForwardAuthSecurity security = live.current();
        TrustedProxies proxies = security.trustedProxies();
        String host = EffectiveRequest.hostName(request, proxies);
        if (host == null) {
            writer.write(request, response, new Outcome.Refused(400, "Bad request", "the Host header is malformed"));
            return;
        }
        Optional<AppSecurity> app = security.appFor(host);
        if (app.isEmpty()) {
            writer.write(request, response, Outcome.Forbidden.because("no app is configured for host " + host));
            return;
        }
        Optional<UserProfile> profile = security.sessionProfile(new JEEContext(request, response), app.get());
        Optional<Grants> grants = profile.flatMap(security::sessionGrants);
        if (grants.isEmpty()) {
            String startUrl = app.get().startUrl(ownUrl(request, proxies));
            writer.write(request, response, ClientKind.isBrowser(request)
                    ? new Outcome.Redirect(307, startUrl) : new Outcome.Unauthenticated(startUrl, null));
            return;
        }
        String permission = security.config().statusPermission();
        if (!grants.get().permissions().contains(permission)) {
            writer.write(request, response, new Outcome.Forbidden("the status page needs a permission your"
                    + " access token does not have", List.of(), List.of(permission)));
            return;
        }
        StatusPage.View view = new StatusPage.View(version, startedAt, clock.instant(), profile.get().getId(),
                security.config(), security.idp().status(), decisions.newestFirst(), decisions.capacity());
        writer.page(response, StatusPage.render(view), StatusPage.CSP);
    }

    /** This page's URL as the browser sees it, to come back to after the login. */
    private static String ownUrl(HttpServletRequest request, TrustedProxies proxies) {
        return (EffectiveRequest.isHttps(request, proxies) ? "https" : "http") + "://"
                + EffectiveRequest.authority(request, proxies) + request.getRequestURI();
    }
}
