package dev.forwardauth.web;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntFunction;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * forwardauth's webapp in an embedded Jetty on a free loopback port, configured from a JSON text, for
 * tests that drive it like Traefik does, and as the upstream of the real proxies under test. Close it when
 * done. The config file sits alone in a temporary directory (forwardauth watches that directory for live
 * reload), which {@link #close()} removes.
 */
public final class EmbeddedForwardAuth implements AutoCloseable {
    private final Server server;
    private final Path configFile;
    private final Path ownDirectory;

    public EmbeddedForwardAuth(String configJson) throws Exception {
        this(configJson, Map.of());
    }

    /** With extra context init-params, e.g. {@code forwardauth.reload}. */
    public EmbeddedForwardAuth(String configJson, Map<String, String> initParameters) throws Exception {
        this(port -> configJson, initParameters);
    }

    /**
     * For a config that names forwardauth's own address (a browser that talks to it directly, without a proxy,
     * needs a redirect-uri on it): the port is bound first and handed to {@code configForPort}.
     */
    public EmbeddedForwardAuth(IntFunction<String> configForPort) throws Exception {
        this(configForPort, Map.of());
    }

    public EmbeddedForwardAuth(IntFunction<String> configForPort, Map<String, String> initParameters)
            throws Exception {
        this(Files.createTempDirectory("forwardauth-test"), null, configForPort, initParameters,
                new QueuedThreadPool());
    }

    /** With at most {@code maxThreads} server threads, for tests about what holds them. */
    public EmbeddedForwardAuth(String configJson, int maxThreads) throws Exception {
        this(Files.createTempDirectory("forwardauth-test"), null, port -> configJson, Map.of(),
                new QueuedThreadPool(maxThreads));
    }

    /** With a config file the test made (a link, a ConfigMap-like layout); the test removes it. */
    public EmbeddedForwardAuth(Path configFile, Map<String, String> initParameters) throws Exception {
        this(null, configFile, null, initParameters, new QueuedThreadPool());
    }

    private EmbeddedForwardAuth(Path ownDirectory, Path givenConfigFile, IntFunction<String> configForPort,
                                Map<String, String> initParameters, QueuedThreadPool threads) throws Exception {
        this.ownDirectory = ownDirectory;
        server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        connector.open();
        this.configFile = givenConfigFile != null ? givenConfigFile
                : Files.writeString(ownDirectory.resolve("forwardauth.json"),
                        configForPort.apply(connector.getLocalPort()));
        ServletContextHandler context = new ServletContextHandler("/");
        context.setInitParameter("forwardauth.config", configFile.toString());
        initParameters.forEach(context::setInitParameter);
        context.addEventListener(new ForwardAuthInitializer());
        server.setHandler(context);
        server.start();
    }

    public URI uri(String path) {
        return server.getURI().resolve(path);
    }

    /** host:port, as a proxy's upstream address. */
    public String address() {
        return "127.0.0.1:" + server.getURI().getPort();
    }

    /** The config file forwardauth reads (and, unless told otherwise, watches). */
    public Path configFile() {
        return configFile;
    }

    @Override
    public void close() throws Exception {
        server.stop();
        if (ownDirectory == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(ownDirectory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // a temp directory; the OS cleans up
        }
    }
}
