package dev.forwardauth.security;

import dev.forwardauth.security.session.CookieSessionStore;
import java.util.Optional;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.context.WebContext;
import org.pac4j.core.engine.savedrequest.SavedRequestHandler;
import org.pac4j.core.exception.http.FoundAction;
import org.pac4j.core.exception.http.HttpAction;
import org.pac4j.core.util.Pac4jConstants;

/**
 * pac4j would save the URL of the current request, which for /authorize is forwardauth's own URL; the
 * user's page is the original URL rebuilt from X-Forwarded-* (or /start's checked {@code rd}). It is kept,
 * exactly as asked for (case preserved), with the pending login, and the callback returns there.
 */
public final class OriginalUrlRequestHandler implements SavedRequestHandler {
    /** Set by /start to the already-checked {@code rd} URL. */
    public static final String RETURN_URL_ATTRIBUTE = OriginalUrlRequestHandler.class.getName() + ".returnUrl";

    @Override
    public void save(CallContext ctx) {
        WebContext context = ctx.webContext();
        Optional<Object> returnUrl = context.getRequestAttribute(RETURN_URL_ATTRIBUTE);
        Optional<Object> scope = context.getRequestAttribute(RequestScope.ATTRIBUTE);
        String url;
        AppSecurity app;
        if (returnUrl.isPresent()) {
            url = returnUrl.get().toString();
            app = (AppSecurity) context.getRequestAttribute(AppSecurity.ATTRIBUTE).orElseThrow();
        } else if (scope.isPresent()) {
            url = ((RequestScope) scope.get()).originalUrl();
            app = ((RequestScope) scope.get()).app();
        } else {
            throw new IllegalStateException("a login started without an original URL");
        }
        // This runs just before pac4j builds the IdP redirect: the one moment to fail with 503 rather than
        // let pac4j build a URL without the IdP's metadata, and to open this login's own pending cookie.
        app.requireIdpForLogin();
        ((CookieSessionStore) ctx.sessionStore()).startLogin(context, app.clientName());
        ctx.sessionStore().set(context, Pac4jConstants.REQUESTED_URL, url);
    }

    @Override
    public HttpAction restore(CallContext ctx, String defaultUrl) {
        Optional<Object> saved = ctx.sessionStore().get(ctx.webContext(), Pac4jConstants.REQUESTED_URL);
        ctx.sessionStore().set(ctx.webContext(), Pac4jConstants.REQUESTED_URL, null);
        return new FoundAction(saved.map(Object::toString).orElse(defaultUrl));
    }
}
