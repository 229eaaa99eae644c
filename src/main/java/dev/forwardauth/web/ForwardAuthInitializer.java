package dev.forwardauth.web;

import dev.forwardauth.config.ConfigException;
import dev.forwardauth.config.ConfigLoader;
import dev.forwardauth.config.DecisionLogLevel;
import dev.forwardauth.config.ForwardAuthConfig;
import dev.forwardauth.ops.DecisionLogWriter;
import dev.forwardauth.ops.DecisionSink;
import dev.forwardauth.ops.ForwardAuthMetrics;
import dev.forwardauth.reload.ConfigReloader;
import dev.forwardauth.reload.ReloadMode;
import dev.forwardauth.security.ForwardAuthSecurity;
import dev.forwardauth.security.LiveSecurity;
import dev.forwardauth.security.session.UsedStates;
import dev.forwardauth.security.token.IdpUnavailableException;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the whole webapp at deployment: the one place that shows which servlet answers which path and in
 * what order the filters run. A config that does not load stops the deployment (never serve on doubt).
 * Filters and servlets get the {@link LiveSecurity}, not one configuration: a live reload swaps it.
 */
public final class ForwardAuthInitializer implements ServletContextListener {
    private static final Logger LOG = LoggerFactory.getLogger(ForwardAuthInitializer.class);
    /** See {@link #warmUp()}. */
    static final long WARM_UP_DELAY_MILLIS = 1_000;

    // Every route is also served under /oauth2/ (SPEC 4), where oauth2-proxy users have theirs.
    private static final String[] AUTHORIZE = {"/authorize", "/oauth2/authorize"};
    private static final String[] AUTH_REQUEST = {"/auth-request", "/oauth2/auth-request"};
    private static final String[] SIGNIN = {"/signin", "/oauth2/signin"};
    private static final String[] START = {"/start", "/oauth2/start"};
    private static final String[] SIGNOUT = {"/signout", "/oauth2/signout"};
    private static final String[] USERINFO = {"/userinfo", "/oauth2/userinfo"};
    private static final String[] STATUS = {"/status", "/oauth2/status"};
    // Only here, like /health: proxies route /oauth2/* of public hosts to us.
    private static final String[] METRICS = {"/metrics"};

    private LiveSecurity live;
    private Optional<ConfigReloader> reloader = Optional.empty();
    private ForwardAuthMetrics metrics;
    private DecisionLogWriter decisionLog;

    /** Set on undeployment, so that a warm-up still waiting does not wake up an identity provider closed since. */
    private volatile boolean destroyed;
    /** Interrupted on undeployment: a container should not find our thread still waiting (Tomcat warns). */
    private Thread warmUpThread;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        String path = ConfigLocation.find(context);
        ReloadMode reload = ConfigLocation.reloadMode(context);
        Instant startedAt = Instant.now();
        ForwardAuthConfig config = load(path);
        // Whether metrics and the decision log run is fixed at start-up; a reload keeps them as they are (the
        // security factory registers each config's apps with the metrics).
        metrics = config.metrics() ? ForwardAuthMetrics.prometheus() : ForwardAuthMetrics.disabled();
        // Every decision goes to the status page's list; to the log as well unless it is off.
        RecentDecisions recent = new RecentDecisions();
        DecisionSink decisions = recent;
        if (config.decisionLog() != DecisionLogLevel.OFF) {
            decisionLog = DecisionLogWriter.toStandardOutput(config.decisionLog() == DecisionLogLevel.DENIED,
                    metrics::decisionLogDropped);
            metrics.watch(decisionLog);
            decisions = recent.andThen(decisionLog);
        }
        OutcomeWriter writer = new OutcomeWriter();
        SecurityFactory factory = new SecurityFactory(writer, Clock.systemUTC(), metrics);
        live = new LiveSecurity(factory.build(config, null));
        register(context, live, writer, metrics, decisions,
                new StatusServlet(live, writer, recent, Clock.systemUTC(), startedAt));
        LOG.info("forwardauth ready: {} app(s){}, identity provider {}, config {}, metrics {}, decision log {}",
                config.apps().size(), config.defaultApp().isPresent() ? " and a default" : "", config.domain(), path,
                config.metrics() ? "at /metrics" : "off", config.decisionLog().configName());
        warmUp();
        reloader = ConfigReloader.start(reload, ConfigLocation.mayTakeSighup(context), Path.of(path),
                System.getenv(), live, factory::build);
    }

    /** Undeployment (Tomcat, a Jetty base) or shutdown: no watcher, signal handler, key refresher or log writer stays. */
    @Override
    public void contextDestroyed(ServletContextEvent event) {
        destroyed = true;
        if (warmUpThread != null) {
            warmUpThread.interrupt();
        }
        reloader.ifPresent(ConfigReloader::close);
        reloader = Optional.empty();
        if (live != null) {
            live.current().idp().close();
        }
        // Write what is queued and stop the writer thread.
        if (decisionLog != null) {
            decisionLog.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }

    private static void register(ServletContext context, LiveSecurity live, OutcomeWriter writer,
                                 ForwardAuthMetrics metrics, DecisionSink decisions, StatusServlet status) {
        // Liveness, exactly /health: nothing else may answer as if healthy.
        servlet(context, "health", new HealthServlet(writer), HealthServlet.PATH);

        // /authorize and /auth-request: (0) time the request; once answered, count the decision and hand it to
        // the decision log. First, so it also sees what the error filter makes of an escaped exception.
        filter(context, "decisions", new DecisionFilter(live, metrics, decisions), AUTHORIZE, AUTH_REQUEST);

        // Whatever escapes a route becomes our own 503/500 page, never a stack trace or a 2xx.
        filter(context, "errors", new ErrorFilter(writer),
                AUTHORIZE, AUTH_REQUEST, SIGNIN, START, SIGNOUT, USERINFO, STATUS, METRICS);

        // /authorize and /auth-request: (1) rebuild the original request from X-Forwarded-* (trusted
        // proxies only), pick the app, normalise the path, apply the policy; deny and anonymous end here.
        filter(context, "forwarded-request", new ForwardedRequestFilter(live, writer, false), AUTHORIZE);
        // nginx drops a subrequest's redirects and cookies: where /authorize says 307, this says 401.
        filter(context, "forwarded-request-nginx", new ForwardedRequestFilter(live, writer, true),
                AUTH_REQUEST);
        // (2) pac4j: session cookie or bearer token, else start a login (307) or 401; then our authorizer
        // checks the access token's scopes and permissions (403 names what is missing).
        filter(context, "security", new Pac4jSecurityFilter(), AUTHORIZE, AUTH_REQUEST);
        // (3) granted: 200 with the identity headers.
        servlet(context, "authorize", new AuthorizeServlet(writer), concat(AUTHORIZE, AUTH_REQUEST));

        // The login's own routes.
        // A state works once: the used ones are remembered for this process's life (docs/security.md).
        servlet(context, "signin", new SigninServlet(live, writer, metrics, new UsedStates(Clock.systemUTC())),
                SIGNIN);
        servlet(context, "start", new StartServlet(live, writer, metrics), START);
        servlet(context, "signout", new SignoutServlet(live, writer), SIGNOUT);
        servlet(context, "userinfo", new UserinfoServlet(live, writer), USERINFO);

        // For operators holding status-permission: settings, identity provider, the last /authorize decisions
        // (which the writer keeps as it writes them).
        servlet(context, "status", status, STATUS);

        // Prometheus metrics, to trusted-proxies addresses only (metrics: false leaves it to the 404 below).
        if (metrics.enabled()) {
            servlet(context, "metrics", new MetricsServlet(metrics, live, writer), METRICS);
        }

        // Everything else is 404; this also replaces the container's static-file servlet, so the launcher's
        // classes at the WAR root are never served.
        servlet(context, "not-found", new NotFoundServlet(writer), "/");
        // web.xml's error-page: what the container itself refuses in this webapp gets our page and headers.
        servlet(context, "error-page", new ErrorPageServlet(writer), ErrorPageServlet.PATH);
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

    /**
     * Fetch discovery and keys, and prepare the clients, in the background so the first login does not wait;
     * failure is not fatal. No request thread waits for it. It begins {@link #WARM_UP_DELAY_MILLIS} after the
     * deployment, not at once: TLS, the HTTP client and pac4j's clients are a few hundred classes and a
     * handshake, CPU the start-up itself needs until the port is open and the first requests are answered
     * (on two cores it delayed the first {@code /health} answer by a tenth of a second or more). A login that
     * comes sooner fetches what it needs itself, and the warm-up then finds it done.
     */
    private void warmUp() {
        warmUpThread = new Thread(() -> {
            try {
                Thread.sleep(WARM_UP_DELAY_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            if (destroyed) {
                return;
            }
            ForwardAuthSecurity security = live.current();
            try {
                security.warmUp();
                LOG.info("identity provider discovered: {}", security.idp().metadata().issuer());
            } catch (IdpUnavailableException e) {
                if (!destroyed) {
                    LOG.warn("{} (logins answer 503 until it is reachable)", e.getMessage());
                }
            } catch (RuntimeException e) {
                // The first login will meet it again and answer for it; never a stack trace in the log. Cut
                // short by an undeployment, it is no news.
                if (!destroyed) {
                    LOG.warn("preparing the identity provider's clients failed: {}: {}", e.getClass().getName(),
                            e.getMessage());
                }
            }
        }, "forwardauth-idp-warm-up");
        warmUpThread.setDaemon(true);
        warmUpThread.start();
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
