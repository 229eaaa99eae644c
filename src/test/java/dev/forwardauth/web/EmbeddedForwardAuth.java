package dev.forwardauth.web;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntFunction;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * forwardauth's webapp in an embedded Jetty on a free loopback port, configured from a JSON text, for
 * tests that drive it like Traefik does, and as the upstream of the real proxies under test. Close it when
 * done.
 */
public final class EmbeddedForwardAuth implements AutoCloseable {
    private final Server server;
    private final Path configFile;

    public EmbeddedForwardAuth(String configJson) throws Exception {
        this(port -> configJson);
    }

    /**
     * For a config that names forwardauth's own address (a browser that talks to it directly, without a proxy,
     * needs a redirect-uri on it): the port is bound first and handed to {@code configForPort}.
     */
    public EmbeddedForwardAuth(IntFunction<String> configForPort) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        connector.open();
        configFile = Files.createTempFile("forwardauth-test", ".json");
        Files.writeString(configFile, configForPort.apply(connector.getLocalPort()));
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
