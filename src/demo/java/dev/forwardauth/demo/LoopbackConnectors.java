package dev.forwardauth.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Opens the gateway's port on the loopback interface only, under both of localhost's addresses: a browser
 * may try {@code ::1} first (Chrome does), and must then find the demo there, not another program that
 * happens to listen on {@code [::1]:8080} (a Node dev server binds only that). A port that is taken on
 * either address is given up for a free one.
 */
final class LoopbackConnectors {
    private static final int ATTEMPTS = 5;

    private LoopbackConnectors() {
    }

    /**
     * Adds the open connectors to the server.
     *
     * @param wanted the port asked for; 0 for any free one
     * @return the port the connectors listen on
     */
    static int open(Server server, int wanted, PrintStream out) throws IOException {
        List<InetAddress> addresses = loopbackAddresses();
        int port = wanted;
        for (int attempt = 1; ; attempt++) {
            List<ServerConnector> connectors = new ArrayList<>();
            try {
                for (InetAddress address : addresses) {
                    ServerConnector connector = connector(server, address, port);
                    connectors.add(connector);
                    connector.open();
                    port = connector.getLocalPort();
                }
                connectors.forEach(server::addConnector);
                return port;
            } catch (IOException e) {
                connectors.forEach(ServerConnector::close);
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                if (wanted != 0 && attempt == 1) {
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    out.println("Port " + wanted + " is not available (" + cause.getMessage()
                            + "); the demo takes a free port instead.");
                }
                port = 0;
            }
        }
    }

    private static ServerConnector connector(Server server, InetAddress address, int port) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(address.getHostAddress());
        connector.setPort(port);
        return connector;
    }

    /** 127.0.0.1, and ::1 where the machine and the JVM have IPv6. */
    private static List<InetAddress> loopbackAddresses() throws IOException {
        List<InetAddress> addresses = new ArrayList<>();
        addresses.add(InetAddress.getByName("127.0.0.1"));
        if (!Boolean.getBoolean("java.net.preferIPv4Stack")) {
            InetAddress v6 = InetAddress.getByName("::1");
            if (NetworkInterface.getByInetAddress(v6) != null) {
                addresses.add(v6);
            }
        }
        return addresses;
    }
}
