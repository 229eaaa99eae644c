package dev.forwardauth.web;

import dev.forwardauth.config.ConfigException;
import dev.forwardauth.config.ConfigLoader;
import dev.forwardauth.config.ForwardAuthConfig;
import dev.forwardauth.security.ForwardAuthSecurity;
import dev.forwardauth.security.PolicyAuthorizer;
import dev.forwardauth.security.token.HttpTimeouts;
import dev.forwardauth.security.token.IdpUnavailableException;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import java.nio.file.Path;
import java.time.Clock;
import org.pac4j.jee.filter.SecurityFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the whole webapp at deployment: the one place that shows which servlet answers which path and in
 * what order the filters run. A config that does not load stops the deployment (never serve on doubt).
 */
public final class ForwardAuthInitializer implements ServletContextListener {
    private static final Logger LOG = LoggerFactory.getLogger(ForwardAuthInitializer.class);

    // Every route is also served under /oauth2/ (SPEC 4), where oauth2-proxy users have theirs.
    private static final String[] AUTHORIZE = {"/authorize", "/oauth2/authorize"};
    private static final String[] AUTH_REQUEST = {"/auth-request", "/oauth2/auth-request"};
    private static final String[] SIGNIN = {"/signin", "/oauth2/signin"};
    private static final String[] START = {"/start", "/oauth2/start"};
    private static final String[] SIGNOUT = {"/signout", "/oauth2/signout"};
    private static final String[] USERINFO = {"/userinfo", "/oauth2/userinfo"};

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        String path = ConfigLocation.find(context);
        ForwardAuthConfig config = load(path);
        OutcomeWriter writer = new OutcomeWriter();
        Pac4jActionAdapter adapter = new Pac4jActionAdapter(writer);
        ForwardAuthSecurity security = new ForwardAuthSecurity(config, HttpTimeouts.DEFAULT, adapter,
                Clock.systemUTC());
        adapter.bind(security);
        register(context, security, writer);
        LOG.info("forwardauth ready: {} app(s){}, identity provider {}, config {}", config.apps().size(),
                config.defaultApp().isPresent() ? " and a default" : "", config.domain(), path);
        warmUp(security);
    }

    private static void register(ServletContext context, ForwardAuthSecurity security, OutcomeWriter writer) {
        // Liveness, exactly /health: nothing else may answer as if healthy.
        servlet(context, "health", new HealthServlet(writer), "/health");

        // Whatever escapes a route becomes our own 503/500 page, never a stack trace or a 2xx.
        filter(context, "errors", new ErrorFilter(writer),
                AUTHORIZE, AUTH_REQUEST, SIGNIN, START, SIGNOUT, USERINFO);

        // /authorize and /auth-request: (1) rebuild the original request from X-Forwarded-* (trusted
        // proxies only), pick the app, normalise the path, apply the policy; deny and anonymous end here.
        filter(context, "forwarded-request", new ForwardedRequestFilter(security, writer, false), AUTHORIZE);
        // nginx drops a subrequest's redirects and cookies: where /authorize says 307, this says 401.
        filter(context, "forwarded-request-nginx", new ForwardedRequestFilter(security, writer, true),
                AUTH_REQUEST);
        // (2) pac4j: session cookie or bearer token, else start a login (307) or 401; then our authorizer
        // checks the access token's scopes and permissions (403 names what is missing).
        filter(context, "security", securityFilter(security), AUTHORIZE, AUTH_REQUEST);
        // (3) granted: 200 with the identity headers.
        servlet(context, "authorize", new AuthorizeServlet(security, writer), concat(AUTHORIZE, AUTH_REQUEST));

        // The login's own routes.
        servlet(context, "signin", new SigninServlet(security, writer), SIGNIN);
        servlet(context, "start", new StartServlet(security, writer), START);
        servlet(context, "signout", new SignoutServlet(security, writer), SIGNOUT);
        servlet(context, "userinfo", new UserinfoServlet(security, writer), USERINFO);

        // Everything else is 404; this also replaces the container's static-file servlet, so the launcher's
        // classes at the WAR root are never served.
        servlet(context, "not-found", new NotFoundServlet(writer), "/");
        // web.xml's error-page: what the container itself refuses in this webapp gets our page and headers.
        servlet(context, "error-page", new ErrorPageServlet(writer), ErrorPageServlet.PATH);
    }

    private static SecurityFilter securityFilter(ForwardAuthSecurity security) {
        SecurityFilter filter = new SecurityFilter(security.pac4j());
        filter.setAuthorizers(PolicyAuthorizer.NAME);
        // No pac4j matchers: its defaults would add a CSRF token cookie and security headers to answers
        // that only the proxy reads. The edge filter already decided that this request needs a login.
        filter.setMatchers("none");
        return filter;
    }

    private static ForwardAuthConfig load(String path) {
        try {
            return ConfigLoader.load(Path.of(path), System.getenv());
        } catch (ConfigException e) {
            e.problems().forEach(problem -> LOG.error("config: {}", problem));
            throw new IllegalStateException("forwardauth: the configuration " + path + " has "
                    + e.problems().size() + " problem(s); see the log", e);
        }
    }

    /** Fetch discovery and keys in the background so the first login does not wait; failure is not fatal. */
    private static void warmUp(ForwardAuthSecurity security) {
        Thread thread = new Thread(() -> {
            try {
                security.idp().keys();
                LOG.info("identity provider discovered: {}", security.idp().metadata().issuer());
            } catch (IdpUnavailableException e) {
                LOG.warn("{} (logins answer 503 until it is reachable)", e.getMessage());
            }
        }, "forwardauth-idp-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    private static void servlet(ServletContext context, String name, HttpServlet servlet, String... paths) {
        context.addServlet(name, servlet).addMapping(paths);
    }

    private static void filter(ServletContext context, String name, Filter filter, String[]... pathGroups) {
        FilterRegistration.Dynamic registration = context.addFilter(name, filter);
        registration.addMappingForUrlPatterns(null, true, concat(pathGroups));
    }

    private static String[] concat(String[]... groups) {
        return java.util.Arrays.stream(groups).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }
}
