package dev.forwardauth.launcher;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.eclipse.jetty.ee.webapp.WebAppClassLoader;
import org.eclipse.jetty.ee10.webapp.Configuration;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.ee10.webapp.WebInfConfiguration;
import org.eclipse.jetty.ee10.webapp.WebXmlConfiguration;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Embedded Jetty 12 (ee10) serving the unpacked webapp at {@code /}, configured as little as the webapp
 * needs: web.xml is metadata-complete, so no annotation, fragment or JSP machinery, and no
 * webdefault.xml (its DefaultServlet and *.jsp mapping would answer paths our catch-all 404 must own;
 * the one thing of it we keep, refusing TRACE, is {@link NoTraceHandler}).
 */
final class EmbeddedServer {
    /**
     * The webapp's class path puts the jars named here first, in this order; the rest follow by name. A class
     * is looked for in each entry in turn, and these are the jars a start loads most classes from (a class
     * loading trace: ours, then JSON-B, pac4j, Micrometer, SLF4J, JSON-P, Nimbus, Prometheus). Measured on a
     * start: 0.2 s less CPU than name order, mostly compiling the class-path search. A jar renamed by an
     * upgrade only falls back to name order; no two of these jars hold the same class, so the order changes
     * nothing but the time.
     */
    static final List<String> FIRST_JARS = List.of("forwardauth-", "yasson-", "pac4j-core-", "micrometer-core-",
            "slf4j-api-", "parsson-", "jakarta.json-api-", "jakarta.json.bind-api-", "oauth2-oidc-sdk-",
            "prometheus-metrics-model-", "pac4j-oidc-", "prometheus-metrics-config-",
            "micrometer-registry-prometheus-", "prometheus-metrics-exposition-textformats-", "nimbus-jose-jwt-",
            "micrometer-commons-", "pac4j-jakartaee-", "slf4j-jdk14-");

    /** A graceful stop lets requests in flight finish, but no longer than this. */
    static final long STOP_TIMEOUT_MILLIS = 10_000;

    private final Server server = new Server();
    private final ServerConnector connector;
    private WebAppContext webapp;

    /**
     * @param host the address to bind, {@code null} for all interfaces
     * @param port the port, 0 for any free one
     */
    EmbeddedServer(Path webappDir, Path workDir, Path config, String host, int port) throws IOException {
        this(host, port);
        deploy(newWebapp(webappDir, workDir, config));
    }

    /**
     * The server alone; {@link #deploy} adds the webapp made by {@link #newWebapp}. The two are separate so
     * that the launcher can build the webapp, and check the configuration in its class loader, on one thread
     * while another builds the server: on two cores the cold start of each hides the other's.
     */
    EmbeddedServer(String host, int port) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        // A session with large tokens is split over up to three cookies of ~3.8 KB: with the user's other
        // cookies that passes Jetty's 8 KB default, which would answer 431 and lock the user out.
        http.setRequestHeaderSize(32 * 1024);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);

        // Jetty binds the port before deploying by default; ours stays closed until the webapp is up, so
        // a failed deployment never even accepts a connection.
        server.setOpenEarly(false);
        server.setErrorHandler(new ServerErrorHandler());
        server.setStopAtShutdown(true);
        server.setStopTimeout(STOP_TIMEOUT_MILLIS);
    }

    /**
     * The webapp at {@code /} with its class loader already made, so that the launcher can check the
     * configuration with the webapp's own classes before the start.
     */
    static WebAppContext newWebapp(Path webappDir, Path workDir, Path config) throws IOException {
        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath("/");
        webapp.setBaseResourceAsPath(webappDir);
        webapp.setTempDirectory(workDir.toFile());
        webapp.setConfigurations(new Configuration[] {new PreparedWebInfConfiguration(), new WebXmlConfiguration()});
        webapp.setDefaultsDescriptor(null);
        webapp.setInitParameter(CommandLine.CONFIG_PROPERTY, config.toString());
        // The process is forwardauth's alone: the webapp may take SIGHUP to reload its config (in a servlet
        // container it never does; docs/operations.md, Live reload).
        webapp.setInitParameter("forwardauth.sighup", "true");
        // The webapp brings its own SLF4J and provider (WEB-INF/lib); the server's must stay invisible to it.
        // Hiding the package is not enough: the provider's META-INF/services entry would still show through
        // and SLF4J would report a provider it cannot load. Hiding the jars hides their resources too.
        webapp.getHiddenClassMatcher().add("org.slf4j.");
        webapp.getHiddenClassMatcher().add(locationOf(LoggerFactory.class));
        ServiceLoader.load(SLF4JServiceProvider.class, EmbeddedServer.class.getClassLoader()).stream()
                .forEach(provider -> webapp.getHiddenClassMatcher().add(locationOf(provider.type())));
        // A webapp that fails to deploy fails start(), before any connector accepts: nothing half-started
        // ever answers.
        webapp.setThrowUnavailableOnStartupException(true);

        WebAppClassLoader loader = new WebAppClassLoader(EmbeddedServer.class.getClassLoader(), webapp);
        for (Path entry : webappClassPath(webappDir)) {
            loader.addClassPath(ResourceFactory.root().newResource(entry));
        }
        webapp.setClassLoader(loader);
        return webapp;
    }

    /**
     * WEB-INF/classes if there is one (the build archives it as WEB-INF/lib/forwardauth-VERSION.jar), then
     * the jars of WEB-INF/lib, {@link #FIRST_JARS} first. Plain string order, not Jetty's {@code addJars}:
     * that sorts with a locale-aware {@link java.text.Collator}, whose set-up and comparisons cost a tenth of
     * a second of a cold start.
     */
    static List<Path> webappClassPath(Path webappDir) throws IOException {
        Path webInf = webappDir.resolve("WEB-INF");
        List<Path> path = new ArrayList<>();
        if (Files.isDirectory(webInf.resolve("classes"))) {
            path.add(webInf.resolve("classes"));
        }
        if (Files.isDirectory(webInf.resolve("lib"))) {
            try (Stream<Path> files = Files.list(webInf.resolve("lib"))) {
                files.filter(file -> file.getFileName().toString().endsWith(".jar"))
                        .sorted(Comparator.comparing((Path jar) -> rank(jar.getFileName().toString()))
                                .thenComparing(jar -> jar.getFileName().toString()))
                        .forEach(path::add);
            }
        }
        return path;
    }

    private static int rank(String jar) {
        for (int i = 0; i < FIRST_JARS.size(); i++) {
            if (jar.startsWith(FIRST_JARS.get(i))) {
                return i;
            }
        }
        return FIRST_JARS.size();
    }

    /** Serves {@code webapp} at {@code /}; before {@link #start}. */
    EmbeddedServer deploy(WebAppContext webapp) {
        this.webapp = webapp;
        // On stop (SIGTERM), requests in flight may finish within the stop timeout; new ones are refused.
        server.setHandler(new GracefulHandler(new NoTraceHandler(webapp)));
        return this;
    }

    /** The class loader the webapp runs in. */
    ClassLoader webappClassLoader() {
        return webapp.getClassLoader();
    }

    /** Deploys the webapp, then opens the port. Throws, with the server stopped, if either fails. */
    void start() throws Exception {
        try {
            server.start();
            if (!webapp.isAvailable()) {
                throw new IllegalStateException("the webapp is unavailable", webapp.getUnavailableException());
            }
        } catch (Exception e) {
            stopQuietly();
            throw e;
        }
    }

    int port() {
        return connector.getLocalPort();
    }

    void join() throws InterruptedException {
        server.join();
    }

    void stop() throws Exception {
        server.stop();
    }

    /**
     * Jetty's WEB-INF set-up (temporary directory, and so on) without its class path step: {@link #newWebapp}
     * has already put WEB-INF/classes and WEB-INF/lib on the class loader, in our order.
     */
    static final class PreparedWebInfConfiguration extends WebInfConfiguration {
        // Stands in for WebInfConfiguration wherever another configuration depends on it (web.xml's does).
        @Override
        public Class<? extends Configuration> replaces() {
            return WebInfConfiguration.class;
        }

        @Override
        public void configure(WebAppContext context) {
            // the class path is set; see the class comment
        }
    }

    private static String locationOf(Class<?> type) {
        try {
            return type.getProtectionDomain().getCodeSource().getLocation().toURI().toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("no location for " + type, e);
        }
    }

    private void stopQuietly() {
        try {
            server.stop();
        } catch (Exception ignored) {
            // the start failure is what matters
        }
    }
}
