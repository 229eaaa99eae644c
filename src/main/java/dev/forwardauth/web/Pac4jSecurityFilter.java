package dev.forwardauth.web;

import dev.forwardauth.security.PolicyAuthorizer;
import dev.forwardauth.security.RequestScope;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.pac4j.core.config.Config;
import org.pac4j.jee.context.JEEFrameworkParameters;

/**
 * What pac4j's {@code SecurityFilter} does, with the pac4j config of the request's own configuration (the
 * one the edge filter read, see {@code LiveSecurity}) instead of one fixed when the filter was made, so a
 * reload swaps it for the next request and never under a running one: session cookie or bearer token,
 * else start a login (307) or 401; then our authorizer checks the access token's scopes and permissions.
 */
final class Pac4jSecurityFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;
    /**
     * No pac4j matchers: its defaults would add a CSRF token cookie and security headers to answers that
     * only the proxy reads. The edge filter already decided that this request needs a login.
     */
    private static final String MATCHERS = "none";

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) {
        RequestScope scope = (RequestScope) request.getAttribute(RequestScope.ATTRIBUTE);
        Config config = scope.security().pac4j();
        config.getSecurityLogic().perform(config, (context, sessionStore, profiles) -> {
            chain.doFilter(request, response);
            return null;
        }, null, PolicyAuthorizer.NAME, MATCHERS, new JEEFrameworkParameters(request, response));
    }
}
