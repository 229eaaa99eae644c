package dev.forwardauth.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Any bytes as the config file: ConfigLoader gives a config or a ConfigException, never another throwable;
 * the exception lists at least one problem, each a single printable line (--check-config prints one per
 * line), and none repeats a secret the file only named as ${VARIABLE}. Seeds in
 * ConfigLoaderFuzzTestInputs: valid and broken configs.
 */
class ConfigLoaderFuzzTest {

    private static final Map<String, String> ENV = Map.of(
            "SESSION_SECRET", "env-session-secret-0123456789-abcdefgh",
            "DEFAULT_CLIENT_SECRET", "env-default-client-secret",
            "ADMIN_CLIENT_SECRET", "env-admin-client-secret");
    private static final Path FILE = tempFile();

    private static Path tempFile() {
        try {
            Path file = Files.createTempFile("forwardauth-config-fuzz", ".json");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest
    void anyFileLoadsOrFailsWithProblemsOnePerLine(byte[] content) throws IOException {
        Files.write(FILE, content);
        String text = new String(content, StandardCharsets.ISO_8859_1);
        try {
            assertNotNull(ConfigLoader.load(FILE, ENV));
        } catch (ConfigException e) {
            assertFalse(e.problems().isEmpty());
            for (String problem : e.problems()) {
                assertTrue(problem.chars().noneMatch(c -> c < 0x20 || c >= 0x7F && c <= 0x9F || c == 0x2028 || c == 0x2029),
                        "not one line: " + problem);
                for (String secret : ENV.values()) {
                    // Only a secret the file did not spell out itself: a file may hold the text in a key.
                    assertFalse(problem.contains(secret) && !text.contains(secret), "a problem repeats a secret: " + problem);
                }
            }
        }
    }
}
