package dev.forwardauth.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repo's jetty-base exactly as README-level instructions run it, from the repo folder:
 * {@code FORWARDAUTH_CONFIG=... java -jar $JETTY_HOME/start.jar jetty.base=jetty-base}, serving
 * {@code target/forwardauth.war} with no file added (docs/jetty.md).
 */
class JettyBaseInPlaceIT extends ContainerLoginTests {
    private final List<String> repoBaseFiles = files();

    @Override
    ServletContainer container() {
        return new JettyBase(JettyBase.Layout.IN_PLACE);
    }

    /** Jetty writes nothing into the base (its WAR unpacks under java.io.tmpdir), so the repo stays clean. */
    @Test
    void theRepoBaseIsLeftAsItWas() {
        assertEquals(repoBaseFiles, files());
    }

    private static List<String> files() {
        try (Stream<Path> files = Files.walk(JettyBase.REPO_BASE)) {
            return files.map(path -> JettyBase.REPO_BASE.relativize(path).toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
