package dev.forwardauth.bench;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * The ceiling: Jetty 12 with the launcher's connector settings and a handler that answers every request 200
 * with an empty body, reading nothing. Run as its own JVM with forwardauth's JVM options, so the two differ only
 * in what forwardauth does per request. Argument: the loopback port.
 */
public final class BareJetty {
    private BareJetty() {
    }

    public static void main(String[] args) throws Exception {
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(Integer.parseInt(args[0]));
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                response.getHeaders().put("Cache-Control", "no-store");
                response.getHeaders().put("Content-Length", 0L);
                callback.succeeded();
                return true;
            }
        });
        server.setStopAtShutdown(true);
        server.start();
        server.join();
    }
}
