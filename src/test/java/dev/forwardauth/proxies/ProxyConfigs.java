package dev.forwardauth.proxies;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The proxy configurations under src/test/resources/proxies/, the very files docs/caddy.md and
 * docs/nginx.md show, copied into a test's temp dir. {@code ${NAME}} (upper case) is filled in where a
 * proxy has no variables of its own (nginx); nginx's own lower-case {@code $name} is left alone.
 */
final class ProxyConfigs {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}");

    private ProxyConfigs() {
    }

    static String read(String resource) {
        try (InputStream in = ProxyConfigs.class.getResourceAsStream("/proxies/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("no test resource proxies/" + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every {@code ${NAME}} replaced by its value; a name without a value is an error, never left in. */
    static String render(String text, Map<String, String> values) {
        Matcher placeholder = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (placeholder.find()) {
            String value = values.get(placeholder.group(1));
            if (value == null) {
                throw new IllegalArgumentException("no value for ${" + placeholder.group(1) + "}");
            }
            placeholder.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return placeholder.appendTail(out).toString();
    }

    /** Writes {@code resource}, rendered with {@code values}, to {@code dir}/{@code name}. */
    static Path write(Path dir, String name, String resource, Map<String, String> values) throws IOException {
        return Files.writeString(dir.resolve(name), render(read(resource), values));
    }

    /**
     * A temp dir that an unprivileged worker can enter: nginx started as root runs its workers as another
     * user, which must reach the temp files below (createTempDirectory makes it owner-only).
     */
    static Path tempDir(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException notPosix) {
            // nothing to widen
        }
        return dir;
    }

    /** Deletes a temp dir and what is in it; what cannot be deleted is left to the OS. */
    static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // temp files
        }
    }
}
