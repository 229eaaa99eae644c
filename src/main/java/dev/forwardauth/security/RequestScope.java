package dev.forwardauth.security;

import dev.forwardauth.forward.ForwardedRequest;
import dev.forwardauth.policy.Requirement;

/**
 * One /authorize (or /auth-request) request as every later step sees it: the configuration it is served
 * with (read once at the edge, so a reload in the middle of the request changes nothing for it), the
 * rebuilt original request, the app its host selected, the normalised path and what the policy requires.
 * Built once at the edge and kept as a request attribute, so pac4j's plug-ins (authorizer, AJAX resolver,
 * saved-request handler) read the same facts the edge decided on.
 */
public record RequestScope(ForwardAuthSecurity security, ForwardedRequest request, AppSecurity app, String path,
                           Requirement requirement, boolean nginx) {
    public static final String ATTRIBUTE = RequestScope.class.getName();

    /** Where a login started for this request returns to. */
    public String originalUrl() {
        return request.originalUrl();
    }

    /** The 401's Location: the app's start URL with this request's original URL as {@code rd}. */
    public String startUrl() {
        return app.startUrl(request.originalUrl());
    }
}
