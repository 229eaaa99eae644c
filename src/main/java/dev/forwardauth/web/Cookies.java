package dev.forwardauth.web;

import dev.forwardauth.security.AppSecurity;
import dev.forwardauth.security.ForwardAuthSecurity;
import jakarta.servlet.http.HttpServletRequest;
import org.pac4j.core.context.WebContext;

/** Writes this request's session and pending-login cookies, once, before any response is written. */
final class Cookies {
    private Cookies() {
    }

    static void commit(ForwardAuthSecurity security, WebContext context, HttpServletRequest request) {
        AppSecurity app = (AppSecurity) request.getAttribute(AppSecurity.ATTRIBUTE);
        if (app == null) {
            return; // nothing was decided about an app, so no cookie was touched
        }
        boolean secure = Boolean.TRUE.equals(request.getAttribute(RequestAttributes.SECURE));
        security.sessionStore().commit(context, ForwardAuthSecurity.cookieSettings(app, secure));
    }
}
