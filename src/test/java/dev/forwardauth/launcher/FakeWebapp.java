package dev.forwardauth.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * An unpacked webapp for launcher tests, with a stand-in {@code dev.forwardauth.config.ConfigCheck} compiled on
 * the fly, so the launcher's reflective contract is tested without the real validation.
 */
final class FakeWebapp {
    /** Every line of the config file that starts with "problem:" is reported as a problem. */
    static final String CONFIG_CHECK = """
            package dev.forwardauth.config;

            public final class ConfigCheck {
                public static java.util.List<String> problems(String path) throws java.io.IOException {
                    return java.nio.file.Files.readAllLines(java.nio.file.Path.of(path)).stream()
                            .filter(line -> line.startsWith("problem:"))
                            .map(line -> line.substring("problem:".length()).strip())
                            .toList();
                }
            }
            """;

    private FakeWebapp() {
    }

    /** A webapp directory with only the stand-in check in WEB-INF/classes. */
    static Path withConfigCheck(Path dir) {
        try {
            Path source = dir.resolve("src/dev/forwardauth/config/ConfigCheck.java");
            Files.createDirectories(source.getParent());
            Files.writeString(source, CONFIG_CHECK);
            Path webapp = dir.resolve("webapp");
            Path classes = Files.createDirectories(webapp.resolve("WEB-INF/classes"));
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            int status = javac.run(null, null, null, "-d", classes.toString(), source.toString());
            if (status != 0) {
                throw new IllegalStateException("javac failed: " + status);
            }
            return webapp;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
