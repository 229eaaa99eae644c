package dev.forwardauth.web;

import dev.forwardauth.ops.ForwardAuthMetrics;
import dev.forwardauth.security.AppSecurity;
import dev.forwardauth.security.ForwardAuthAjaxResolver;
import dev.forwardauth.security.ForwardAuthSecurity;
import dev.forwardauth.security.IdpUnavailableError;
import dev.forwardauth.security.LiveSecurity;
import dev.forwardauth.security.OriginalUrlRequestHandler;
import dev.forwardauth.security.RedirectTargets;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.exception.http.RedirectionAction;
import org.pac4j.core.exception.http.WithLocationAction;
import org.pac4j.jee.context.JEEContext;

/**
 * {@code /start?rd=URL}: starts a login that returns to URL, for the app URL's host selects. The browser
 * comes here itself (from an API client's 401 or nginx's error_page), so this response can set the
 * pending-login cookie that nginx's subrequest could not. {@code rd} must be a configured app host or lie
 * under a token-cookie-domain: anything else is refused (open-redirect safe).
 */
final class StartServlet extends GetOnlyServlet {
    private static final long serialVersionUID = 1L;

    private final transient LiveSecurity live;
    private final transient ForwardAuthMetrics metrics;

    StartServlet(LiveSecurity live, OutcomeWriter writer, ForwardAuthMetrics metrics) {
        super(writer);
        this.live = live;
        this.metrics = metrics;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ForwardAuthSecurity security = live.current();
        String[] rds = request.getParameterValues("rd");
        if (rds != null && rds.length > 1) {
            // Proxies and frameworks disagree about which of two wins; an ambiguous target is no target.
            writer.write(request, response, new Outcome.Refused(400, "Cannot start sign-in",
                    "give one return URL (rd), not " + rds.length));
            return;
        }
        RedirectTargets.Checked target = security.redirectTargets().check(request.getParameter("rd"));
        if (!target.safe()) {
            writer.write(request, response, new Outcome.Refused(400, "Cannot start sign-in", target.problem()));
            return;
        }
        String rd = target.url();
        String host = URI.create(rd).getHost().toLowerCase(Locale.ROOT);
        Optional<AppSecurity> app = security.appFor(host);
        if (app.isEmpty()) {
            writer.write(request, response, new Outcome.Refused(400, "Cannot start sign-in",
                    "no app is configured for host " + host));
            return;
        }
        JEEContext context = new JEEContext(request, response);
        request.setAttribute(AppSecurity.ATTRIBUTE, app.get());
        request.setAttribute(RequestAttributes.SECURE, EffectiveRequest.isHttps(request, security.trustedProxies()));
        request.setAttribute(OriginalUrlRequestHandler.RETURN_URL_ATTRIBUTE, rd);
        request.setAttribute(ForwardAuthAjaxResolver.FORCE_REDIRECT_ATTRIBUTE, Boolean.TRUE);
        try {
            CallContext ctx = new CallContext(context, security.sessionStore());
            new OriginalUrlRequestHandler().save(ctx);
            RedirectionAction action = app.get().oidcClient().getRedirectionAction(ctx).orElseThrow();
            Cookies.commit(security, context, request);
            writer.write(request, response, new Outcome.Redirect(307, ((WithLocationAction) action).getLocation()));
            metrics.loginStarted(app.get().config());
        } catch (IdpUnavailableError e) {
            Cookies.commit(security, context, request);
            writer.write(request, response, new Outcome.Unavailable(e.getMessage()));
        }
    }
}
