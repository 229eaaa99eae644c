package dev.forwardauth.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The build's version, from a resource Maven fills in. Not the WAR manifest: a container may not expose it,
 * and under {@code java -jar} only WEB-INF is unpacked.
 */
final class Version {
    static final String UNKNOWN = "unknown";

    private Version() {
    }

    static String current() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return UNKNOWN;
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "");
            // Unfiltered (run from an IDE without the Maven build): say so rather than show a placeholder.
            return version.isBlank() || version.startsWith("${") ? UNKNOWN : version;
        } catch (IOException e) {
            return UNKNOWN;
        }
    }
}
