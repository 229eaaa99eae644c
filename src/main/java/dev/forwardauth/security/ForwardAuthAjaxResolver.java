package dev.forwardauth.security;

import dev.forwardauth.forward.AcceptHeader;
import java.util.Optional;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.context.WebContext;
import org.pac4j.core.exception.http.HttpAction;
import org.pac4j.core.exception.http.UnauthorizedAction;
import org.pac4j.core.http.ajax.AjaxRequestResolver;
import org.pac4j.core.redirect.RedirectionActionBuilder;

/**
 * Decides "redirect to the IdP" versus "401" when there is no session (SPEC 4). A 401 is the answer for
 * API clients and XHR (a script cannot follow a cross-site login), for anyone who sent a bearer token
 * (a refused token must not turn into a login page), and for nginx's auth_request, which cannot pass a
 * redirect or a cookie. The 401's Location and body are filled in by the web layer.
 */
public final class ForwardAuthAjaxResolver implements AjaxRequestResolver {
    /** Set by /start: the user's browser came there itself to be redirected, whatever it accepts. */
    public static final String FORCE_REDIRECT_ATTRIBUTE = ForwardAuthAjaxResolver.class.getName() + ".redirect";

    @Override
    public boolean isAjax(CallContext ctx) {
        WebContext context = ctx.webContext();
        if (context.getRequestAttribute(FORCE_REDIRECT_ATTRIBUTE).isPresent()) {
            return false;
        }
        Optional<Object> scope = context.getRequestAttribute(RequestScope.ATTRIBUTE);
        if (scope.isPresent() && ((RequestScope) scope.get()).nginx()) {
            return true;
        }
        if (context.getRequestHeader("Authorization").isPresent()) {
            return true;
        }
        return !AcceptHeader.asksForHtml(context.getRequestHeader("Accept").orElse(null))
                || context.getRequestHeader("X-Requested-With").isPresent();
    }

    @Override
    public HttpAction buildAjaxResponse(CallContext ctx, RedirectionActionBuilder redirectionActionBuilder) {
        // No state, nonce or pending-login cookie is made for a request that cannot complete a login.
        return new UnauthorizedAction();
    }
}
