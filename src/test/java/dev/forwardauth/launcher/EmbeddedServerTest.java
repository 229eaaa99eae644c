package dev.forwardauth.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded server with stand-in webapps whose listeners (loaded from the test class path through the
 * webapp class loader's parent) observe the server from inside the deployment.
 */
class EmbeddedServerTest {
    private static final AtomicBoolean PORT_OPEN_DURING_DEPLOYMENT = new AtomicBoolean();
    private static final AtomicReference<String> CONFIG_SEEN = new AtomicReference<>();
    private static final AtomicReference<ClassLoader> WEBAPP_LOADER = new AtomicReference<>();
    private static volatile int probedPort;

    @TempDir
    Path dir;

    /** Fails the deployment, after checking whether anything listens on the port meanwhile. */
    public static final class FailingListener implements ServletContextListener {
        @Override
        public void contextInitialized(ServletContextEvent event) {
            PORT_OPEN_DURING_DEPLOYMENT.set(accepts(probedPort));
            throw new IllegalStateException("deliberately broken webapp");
        }
    }

    /** Records the config path the webapp would read, and the class loader it runs in. */
    public static final class ConfigListener implements ServletContextListener {
        @Override
        public void contextInitialized(ServletContextEvent event) {
            CONFIG_SEEN.set(event.getServletContext().getInitParameter("forwardauth.config"));
            WEBAPP_LOADER.set(event.getServletContext().getClassLoader());
        }
    }

    @Test
    void theConfigIsCheckedInTheClassLoaderTheWebappRunsIn() throws Exception {
        Path webapp = webapp(ConfigListener.class);
        Files.createDirectories(webapp.resolve("WEB-INF/classes"));
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(
                Files.createDirectories(webapp.resolve("WEB-INF/lib")).resolve("empty.jar")))) {
            jar.putNextEntry(new ZipEntry("empty.txt"));
        }
        EmbeddedServer server = new EmbeddedServer(webapp, dir.resolve("work"), dir.resolve("c.json"),
                "127.0.0.1", 0);
        try {
            URLClassLoader checkedIn = (URLClassLoader) server.webappClassLoader();
            List<URL> classPath = List.of(checkedIn.getURLs());
            server.start();

            assertSame(checkedIn, WEBAPP_LOADER.get());
            assertEquals(2, classPath.size(), classPath.toString());
            assertEquals(classPath, List.of(checkedIn.getURLs()), "Jetty added the class path a second time");
        } finally {
            server.stop();
        }
    }

    @Test
    void theWebappLooksInItsOwnClassesFirstThenInTheMostUsedLibrariesThenInTheRestByName() throws Exception {
        Path webapp = webapp(ConfigListener.class);
        Files.createDirectories(webapp.resolve("WEB-INF/classes"));
        Path lib = Files.createDirectories(webapp.resolve("WEB-INF/lib"));
        for (String jar : List.of("zeta-1.jar", "alpha-2.jar", "yasson-3.0.4.jar", "forwardauth-0.1.0.jar",
                "pac4j-core-6.2.2.jar", "notes.txt")) {
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(lib.resolve(jar)))) {
                out.putNextEntry(new ZipEntry("empty.txt"));
            }
        }
        EmbeddedServer server = new EmbeddedServer(webapp, dir.resolve("work"), dir.resolve("c.json"),
                "127.0.0.1", 0);
        try {
            List<String> expected = List.of("classes/", "forwardauth-0.1.0.jar", "yasson-3.0.4.jar",
                    "pac4j-core-6.2.2.jar", "alpha-2.jar", "zeta-1.jar");
            assertEquals(expected, names((URLClassLoader) server.webappClassLoader()));
            server.start();
            // Jetty's own WEB-INF step would add the jars again, sorted by a locale's collation.
            assertEquals(expected, names((URLClassLoader) WEBAPP_LOADER.get()));
        } finally {
            server.stop();
        }
    }

    private static List<String> names(URLClassLoader loader) {
        return java.util.Arrays.stream(loader.getURLs()).map(URL::getPath)
                .map(path -> path.endsWith("/") ? "classes/" : path.substring(path.lastIndexOf('/') + 1)).toList();
    }

    /** Answers after a pause, long enough for the test to stop the server meanwhile. */
    /** Counted down when the slow request is inside the servlet, so the test stops the server mid-request. */
    static final java.util.concurrent.CountDownLatch SLOW_REQUEST_ARRIVED = new java.util.concurrent.CountDownLatch(1);

    public static final class SlowServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            SLOW_REQUEST_ARRIVED.countDown();
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            response.getWriter().write("finished");
        }
    }

    @Test
    void stoppingLetsARequestInFlightFinish() throws Exception {
        Path webInf = Files.createDirectories(dir.resolve("webapp/WEB-INF"));
        Files.writeString(webInf.resolve("web.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true">
                  <servlet><servlet-name>slow</servlet-name><servlet-class>%s</servlet-class></servlet>
                  <servlet-mapping><servlet-name>slow</servlet-name><url-pattern>/slow</url-pattern></servlet-mapping>
                </web-app>
                """.formatted(SlowServlet.class.getName()));
        EmbeddedServer server = new EmbeddedServer(webInf.getParent(), dir.resolve("work"), dir.resolve("c.json"),
                "127.0.0.1", 0);
        server.start();
        CompletableFuture<HttpResponse<String>> inFlight = HttpClient.newHttpClient().sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/slow")).build(),
                HttpResponse.BodyHandlers.ofString());
        // Wait until the request is really in flight (a fixed sleep raced on a loaded machine).
        assertTrue(SLOW_REQUEST_ARRIVED.await(10, TimeUnit.SECONDS), "the slow request never arrived");

        server.stop();

        HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
        assertEquals(200, response.statusCode());
        assertEquals("finished", response.body());
    }

    @Test
    void aWebappThatFailsToDeployFailsTheStartAndNeverOpensThePort() throws IOException {
        int port = freePort();
        probedPort = port;
        EmbeddedServer server = new EmbeddedServer(webapp(FailingListener.class), dir.resolve("work"),
                dir.resolve("c.json"), "127.0.0.1", port);

        assertThrows(Exception.class, server::start);

        assertFalse(PORT_OPEN_DURING_DEPLOYMENT.get(), "port open while deploying");
        assertFalse(accepts(port), "port open after the failed start");
    }

    @Test
    void theWebappGetsTheConfigPathAndTraceIsRefused() throws Exception {
        Path config = dir.resolve("forwardauth.json");
        EmbeddedServer server = new EmbeddedServer(webapp(ConfigListener.class), dir.resolve("work"), config,
                "127.0.0.1", 0);
        try {
            server.start();

            assertEquals(config.toString(), CONFIG_SEEN.get());
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> trace = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/anything"))
                    .method("TRACE", HttpRequest.BodyPublishers.noBody()).header("Cookie", "FORWARDAUTH=secret")
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, trace.statusCode());
            assertFalse(trace.body().contains("secret"), trace.body());
        } finally {
            server.stop();
        }
    }

    private Path webapp(Class<? extends ServletContextListener> listener) throws IOException {
        Path webInf = Files.createDirectories(dir.resolve("webapp/WEB-INF"));
        Files.writeString(webInf.resolve("web.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true">
                  <listener><listener-class>%s</listener-class></listener>
                </web-app>
                """.formatted(listener.getName()));
        return webInf.getParent();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
