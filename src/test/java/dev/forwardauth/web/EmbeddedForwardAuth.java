package dev.forwardauth.web;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * forwardauth's webapp in an embedded Jetty on a free loopback port, configured from a JSON text, for
 * tests that drive it like Traefik does, and as the upstream of the real proxies under test. Close it when
 * done.
 */
public final class EmbeddedForwardAuth implements AutoCloseable {
    private final Server server;
    private final Path configFile;

    public EmbeddedForwardAuth(String configJson) throws Exception {
        this(configJson, new QueuedThreadPool());
    }

    /** With at most {@code maxThreads} server threads, for tests about what holds them. */
    public EmbeddedForwardAuth(String configJson, int maxThreads) throws Exception {
        this(configJson, new QueuedThreadPool(maxThreads));
    }

    private EmbeddedForwardAuth(String configJson, QueuedThreadPool threads) throws Exception {
        configFile = Files.createTempFile("forwardauth-test", ".json");
        Files.writeString(configFile, configJson);
        server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.setInitParameter("forwardauth.config", configFile.toString());
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

    @Override
    public void close() throws Exception {
        server.stop();
        try {
            Files.deleteIfExists(configFile);
        } catch (IOException e) {
            // a temp file; the OS cleans up
        }
    }
}
