package dev.forwardauth.proxies;

import dev.forwardauth.web.ForwardAuthInitializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * forwardauth's webapp in an embedded Jetty on 127.0.0.1 and a free port, configured from a JSON text: the
 * proxies under test reach it over loopback, like they reach any upstream. (The same setup as the web
 * package's EmbeddedForwardAuth, which is private to that package.)
 */
final class InProcessForwardAuth implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;
    private final Path configFile;

    InProcessForwardAuth(String configJson) throws Exception {
        configFile = Files.createTempFile("forwardauth-proxies", ".json");
        Files.writeString(configFile, configJson);
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.setInitParameter("forwardauth.config", configFile.toString());
        context.addEventListener(new ForwardAuthInitializer());
        server.setHandler(context);
        server.start();
    }

    /** host:port, as a proxy's upstream address. */
    String address() {
        return "127.0.0.1:" + connector.getLocalPort();
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
