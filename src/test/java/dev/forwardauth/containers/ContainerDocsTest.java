package dev.forwardauth.containers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * docs/tomcat.md and docs/jetty.md show, verbatim, the files the container ITs run: a change to one that
 * the manual does not follow fails here, off any server.
 */
class ContainerDocsTest {
    @ParameterizedTest
    @CsvSource({
        "docs/tomcat.md, docs/tomcat/setenv.sh",
        "docs/tomcat.md, docs/tomcat/ROOT.xml",
        "docs/jetty.md, jetty-base/start.d/forwardauth.ini",
        "docs/jetty.md, jetty-base/webapps/forwardauth.xml",
    })
    void manualShowsTheTestedFile(String manual, String file) throws IOException {
        String text = Files.readString(Path.of(manual));
        String content = Files.readString(Path.of(file));

        assertTrue(text.contains("\n" + content + "```\n"), manual + " does not show " + file + " as it is");
    }

    /** The connector line Tomcat.rewriteServerXml writes, with the port the manual uses. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "docs/tomcat.md|<Connector port=\"8080\" address=\"127.0.0.1\" protocol=\"HTTP/1.1\"",
        "docs/tomcat.md|<Server port=\"-1\"",
    })
    void manualShowsTheTestedServerXml(String manual, String line) throws IOException {
        String text = Files.readString(Path.of(manual));

        assertTrue(text.contains(line), manual + " does not show " + line);
    }
}
