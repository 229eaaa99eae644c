package dev.forwardauth.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.ToIntFunction;
import org.eclipse.jetty.server.Server;

/**
 * {@code java -jar forwardauth.war --demo}: three things on the loopback interface, wired like a real
 * deployment. The browser talks to the gateway only:
 * <pre>
 * browser -> gateway (plays Traefik) --/oauth2/*--------------------> forwardauth (the real webapp)
 *                                    --ForwardAuth /authorize ------> forwardauth --> development IdP
 *                                    --allowed, with identity ------> sample page (the upstream)
 * browser -> development IdP (the login page)
 * </pre>
 * The launcher starts this class in a class loader of its own (WEB-INF/demo); the webapp never sees it.
 */
public final class Demo {
    static final int EXIT_OK = 0;
    /** Like the launcher's failed start. */
    static final int EXIT_FAILED_START = 2;

    private Demo() {
    }

    /**
     * Called reflectively by the launcher, so only JDK types cross the class loaders. Returns once the demo
     * has stopped (Ctrl+C).
     *
     * @param port the gateway's port (the one the user opens); a free one if it is taken, 0 for any
     * @param workDir a private directory of the demo's own, removed on exit: the generated config goes there
     * @param forwardauth deploys the webapp with the given config file on the loopback interface and
     *     returns its port; throws if it does not start
     */
    public static int run(int port, Path workDir, PrintStream out, PrintStream err,
            ToIntFunction<Path> forwardauth) {
        DevelopmentIdp idp = new DevelopmentIdp(DemoConfig.AUDIENCE);
        Server gateway = new Server();
        try {
            idp.start();
            int gatewayPort = LoopbackConnectors.open(gateway, port, out);
            Path config = writeConfig(workDir, DemoConfig.json(idp.issuer(), gatewayPort));
            int forwardauthPort = forwardauth.applyAsInt(config);
            String gatewayHost = DemoConfig.HOST + ":" + gatewayPort;
            gateway.setHandler(new Gateway("http://127.0.0.1:" + forwardauthPort, gatewayHost, new SamplePage()));
            gateway.setStopAtShutdown(true);
            gateway.start();
            Runtime.getRuntime().addShutdownHook(new Thread(idp::stop, "forwardauth-demo-idp-stop"));
            out.print(banner(gatewayPort, forwardauthPort, idp.issuer(), config));
            out.flush();
            gateway.join();
            return EXIT_OK;
        } catch (Exception e) {
            err.println("forwardauth: the demo did not start: " + e);
            stopQuietly(gateway);
            idp.stop();
            return EXIT_FAILED_START;
        }
    }

    private static Path writeConfig(Path workDir, String json) throws IOException {
        // Created owner-only, like the directory it is in: it holds the session secret.
        Path file = Files.createTempFile(workDir, "demo-forwardauth-", ".json");
        return Files.writeString(file, json);
    }

    static String banner(int gatewayPort, int forwardauthPort, URI idp, Path config) {
        String gateway = "http://localhost:" + gatewayPort + "/";
        return """

                *** forwardauth DEMO - not for production: a development identity provider signs anyone in ***
                Open %1$s in your browser.
                  gateway (plays Traefik)     %1$s
                  forwardauth                 http://localhost:%2$d/authorize
                  development IdP             %3$s
                  demo configuration          %4$s
                Sign in with any user name: the token has scope "%5$s", not "%6$s".
                Press Ctrl+C to stop.
                """.formatted(gateway, forwardauthPort, idp, config, DevelopmentIdp.SCOPE, DemoConfig.ADMIN_SCOPE);
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception ignored) {
            // the start failure is what the user needs to see
        }
    }
}
