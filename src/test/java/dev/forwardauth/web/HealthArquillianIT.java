package dev.forwardauth.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ExplodedImporter;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The webapp as a plain WAR (no launcher) in a container: embedded Jetty 12 ee10 through Arquillian, called
 * from outside like an orchestrator's probe.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HealthArquillianIT {
    private static final String CONFIG_PROPERTY = "forwardauth.config";
    private static Path config;

    /**
     * target/classes, web.xml and the runtime libraries Maven put into the packaged webapp (failsafe runs
     * after `package`). The webapp reads its config at deployment from the system property, set here because
     * Arquillian deploys before any @BeforeAll runs.
     */
    @Deployment(testable = false)
    static WebArchive webapp() throws IOException {
        config = Files.createTempFile("forwardauth-arquillian-", ".json");
        Files.writeString(config, """
                {"domain": "https://example.eu.auth0.com/",
                 "session-secret": "0123456789abcdef0123456789abcdef",
                 "default": {"client-id": "id", "client-secret": "s", "audience": "https://api.example.com",
                             "redirect-uri": "https://auth.example.com/oauth2/signin"}}
                """);
        System.setProperty(CONFIG_PROPERTY, config.toString());

        WebArchive war = ShrinkWrap.create(WebArchive.class, "forwardauth.war")
                .setWebXML(new File("webapp/WEB-INF/web.xml"))
                .addAsLibraries(runtimeLibraries());
        war.merge(ShrinkWrap.create(JavaArchive.class).as(ExplodedImporter.class)
                .importDirectory("target/classes").as(JavaArchive.class), "/WEB-INF/classes");
        return war;
    }

    private static File[] runtimeLibraries() {
        Path lib = Path.of(System.getProperty("forwardauth.webapp", "target/forwardauth"), "WEB-INF", "lib");
        try (Stream<Path> jars = Files.list(lib)) {
            return jars.filter(p -> p.toString().endsWith(".jar")).map(Path::toFile).toArray(File[]::new);
        } catch (IOException e) {
            throw new UncheckedIOException("run `mvn verify`: failsafe needs the packaged webapp in " + lib, e);
        }
    }

    @AfterAll
    static void removeConfig() throws IOException {
        System.clearProperty(CONFIG_PROPERTY);
        Files.deleteIfExists(config);
    }

    @ArquillianResource
    private URL base;

    @Test
    void healthAnswersUp() throws Exception {
        HttpResponse<String> response = get("health");

        assertEquals(200, response.statusCode());
        assertEquals("{\"status\":\"UP\"}", response.body());
    }

    @Test
    void otherPathsAreNotFound() throws Exception {
        assertEquals(404, get("healthz").statusCode());
        assertEquals(404, get("health/").statusCode());
        assertEquals(404, get("WEB-INF/web.xml").statusCode());
        assertEquals(404, get("oauth2/health").statusCode());
    }

    @Test
    void pathsTheContainerWouldMapToHealthAreNotFound() throws Exception {
        // The container drops path parameters and decodes before it maps; /health answers only as itself.
        assertEquals(404, get("health;x").statusCode());
        assertEquals(404, get("health;jsessionid=1").statusCode());
        assertEquals(404, get("%68ealth").statusCode());
        assertEquals(200, get("health?probe=1").statusCode());
    }

    private HttpResponse<String> get(String relative) throws IOException, InterruptedException, URISyntaxException {
        URI uri = base.toURI().resolve(relative);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
