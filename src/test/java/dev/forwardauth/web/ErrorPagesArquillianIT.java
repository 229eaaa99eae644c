package dev.forwardauth.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
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
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the servlet container refuses by itself inside the webapp (web.xml's security-constraint, WEB-INF)
 * reaches forwardauth's own error page through web.xml's error-page: our status page and security headers,
 * never the container's HTML. The WAR as deployed (web.xml included), in
 * embedded Jetty 12 through Arquillian; ContainerLoginTests checks the same in Tomcat and a Jetty base.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ErrorPagesArquillianIT {
    private static final String CONFIG_PROPERTY = "forwardauth.config";
    private static Path config;

    @Deployment(testable = false)
    static WebArchive webapp() throws IOException {
        config = Files.createTempFile("forwardauth-error-pages-", ".json");
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

    @ParameterizedTest
    @CsvSource({
        "dev/forwardauth/boot/Main.class, 403, forbidden",   // web.xml's security-constraint
        "META-INF/MANIFEST.MF, 403, forbidden",
        "WEB-INF/web.xml, 404, not_found",
        "error, 404, not_found",                             // the error page, asked for directly
    })
    void theContainersOwnRefusalsAreOurPagesWithOurHeaders(String path, int status, String error) throws Exception {
        HttpResponse<String> json = get(path, "application/json");
        HttpResponse<String> html = get(path, "text/html");

        SecurityHeadersIT.assertOwnPage(status, json);
        assertTrue(json.body().startsWith("{\"error\":\"" + error + "\""), json.body());
        SecurityHeadersIT.assertOwnPage(status, html);
        assertTrue(Responses.isHtml(html) && html.body().startsWith("<!DOCTYPE html>"), html.body());
        assertEquals(-1, html.body().indexOf("Jetty"), html.body());
    }

    /**
     * Jetty refuses an ambiguous URI before any servlet or error page of the webapp runs, so this 400 is
     * Jetty's own page (docs/security.md, "Security headers"): a refusal, not cached, no stack trace.
     */
    @ParameterizedTest
    @CsvSource({"a/%2e%2e/b", "a%2Fb", "a/%2e/b"})
    void anAmbiguousUriIsRefusedByJettyBeforeTheWebapp(String path) throws Exception {
        HttpResponse<String> response = get(path, "text/html");

        assertEquals(400, response.statusCode(), response.body());
        assertTrue(Responses.header(response, "Cache-Control").contains("no-store"));
        assertFalse(response.body().matches("(?s).*\\sat [a-z]+\\.[\\w.$]+\\(.*"), response.body());
    }

    private HttpResponse<String> get(String relative, String accept) throws Exception {
        URI uri = URI.create(base.toString() + relative);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).header("Accept", accept)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
