package dev.forwardauth.web;

import dev.forwardauth.forward.ForwardedRequest;
import dev.forwardauth.forward.ForwardedRequestParser;
import dev.forwardauth.policy.Access;
import dev.forwardauth.policy.NormalizedPath;
import dev.forwardauth.policy.PathNormalizer;
import dev.forwardauth.policy.Requirement;
import dev.forwardauth.security.AppSecurity;
import dev.forwardauth.security.ForwardAuthSecurity;
import dev.forwardauth.security.LiveSecurity;
import dev.forwardauth.security.RequestScope;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * The edge of /authorize and /auth-request: the original request is rebuilt once from X-Forwarded-*
 * (only from a trusted proxy), its host selects the app, its path is normalised and the app's policy
 * says what it requires. Deny and anonymous are answered here, before any token is looked at; only
 * requests that need a login go on to pac4j's security filter. The configuration is read here, once per
 * request, and travels in the {@link RequestScope}: every later step uses the same one.
 */
final class ForwardedRequestFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;

    private final transient LiveSecurity live;
    private final transient OutcomeWriter writer;
    private final boolean nginx;

    ForwardedRequestFilter(LiveSecurity live, OutcomeWriter writer, boolean nginx) {
        this.live = live;
        this.writer = writer;
        this.nginx = nginx;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        ForwardAuthSecurity security = live.current();
        DecisionTrail trail = DecisionTrail.of(request);
        if (!security.trustedProxies().trusts(request.getRemoteAddr())) {
            writer.write(request, response, Outcome.Forbidden.because(
                    "this address is not a trusted proxy (see trusted-proxies)"));
            return;
        }
        ForwardedRequestParser.Result parsed = ForwardedRequestParser.parse(EffectiveRequest.headersOf(request));
        if (parsed instanceof ForwardedRequestParser.Refused refused) {
            writer.write(request, response, new Outcome.Refused(400, "Bad request", refused.problem().message()));
            return;
        }
        ForwardedRequest forwarded = ((ForwardedRequestParser.Parsed) parsed).request();
        if (trail != null) {
            trail.forwarded = forwarded;
        }
        Optional<AppSecurity> app = security.appFor(forwarded.hostName());
        if (app.isEmpty()) {
            writer.write(request, response, Outcome.Forbidden.because(
                    "no app is configured for host " + forwarded.hostName()));
            return;
        }
        if (trail != null) {
            trail.app = app.get();
        }
        NormalizedPath normalised = PathNormalizer.normalize(forwarded.uri());
        if (normalised instanceof NormalizedPath.Rejected rejected) {
            if (trail != null) {
                trail.path = forwarded.prefix() + withoutQuery(forwarded.uri());
            }
            writer.write(request, response, new Outcome.Refused(400, "Bad request", rejected.message()));
            return;
        }
        // The prefix is a plain path (checked by the parser) and the URI was normalised on its own, so a
        // ".." in the URI can never climb into the prefix.
        String path = forwarded.prefix() + ((NormalizedPath.Valid) normalised).path();
        AppSecurity appSecurity = app.get();
        if (trail != null) {
            trail.path = path;
        }
        if (appSecurity.isOwnRoute(path)) {
            if (trail != null) {
                trail.ownRoute = true;
            }
            writer.write(request, response, new Outcome.Allow(null));
            return;
        }
        Requirement requirement = appSecurity.policy().requirementFor(forwarded.method(), path);
        RequestScope scope = new RequestScope(security, forwarded, appSecurity, path, requirement, nginx);
        request.setAttribute(RequestScope.ATTRIBUTE, scope);
        if (trail != null) {
            trail.scope = scope;
        }
        request.setAttribute(AppSecurity.ATTRIBUTE, appSecurity);
        request.setAttribute(RequestAttributes.SECURE, forwarded.secure());
        request.setAttribute(RequestAttributes.REDIRECT_STATUS, 307);
        if (requirement.access() == Access.DENY) {
            writer.write(request, response, Outcome.Forbidden.because(requirement.reason()));
        } else if (requirement.access() == Access.ANONYMOUS) {
            writer.write(request, response,
                    new Outcome.Allow(AnonymousIdentity.find(security, request, response, appSecurity)));
        } else {
            chain.doFilter(request, response);
        }
    }

    // For the decision log only: a query may hold credentials (codes, tokens); the path is what was refused.
    private static String withoutQuery(String uri) {
        int end = uri.length();
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        return uri.substring(0, end);
    }
}
