package dev.forwardauth.containers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -jar $JETTY_HOME/start.jar jetty.base=...} with an unpacked jetty-home (read-only) and the
 * repo's {@code jetty-base/}, in one of the two ways docs/jetty.md describes.
 */
final class JettyBase extends ServletContainer {
    static final Path REPO_BASE = PROJECT.resolve("jetty-base");

    enum Layout {
        /**
         * A copy of the base elsewhere, unchanged but for the one file the user adds,
         * {@code webapps/forwardauth.properties}, naming the WAR; config by the system property
         * {@code forwardauth.config}.
         */
        COPY,
        /**
         * The repo's base itself, from the repo folder ({@code jetty.base=jetty-base}), deploying
         * {@code ../target/forwardauth.war} by default; config by the environment variable
         * {@code FORWARDAUTH_CONFIG}.
         */
        IN_PLACE
    }

    private final Layout layout;

    JettyBase(Layout layout) {
        this.layout = layout;
    }

    @Override
    String name() {
        return "Jetty base on jetty-home 12.1 (" + layout + ")";
    }

    @Override
    String versionBanner() {
        return "jetty-12.1.";
    }

    @Override
    void prepare(ProcessBuilder child, Path war, Path config, int port) throws IOException {
        Path home = distribution("jetty-home");
        // Jetty unpacks the WAR under java.io.tmpdir: keep that inside the folder close() deletes.
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(QUICK_JVM);
        command.add("-Djava.io.tmpdir=" + tmp);
        String base;
        if (layout == Layout.COPY) {
            Path copy = dir.resolve("jetty-base");
            copyTree(REPO_BASE, copy);
            Files.writeString(copy.resolve("webapps/forwardauth.properties"), "forwardauth.war=" + war + "\n");
            command.add("-Dforwardauth.config=" + config);
            child.directory(copy.toFile());
            base = copy.toString();
        } else {
            child.environment().put("FORWARDAUTH_CONFIG", config.toString());
            child.directory(PROJECT.toFile());
            base = "jetty-base";
        }
        command.addAll(List.of("-jar", home.resolve("start.jar").toString(), "jetty.base=" + base,
                "jetty.http.port=" + port, "jetty.http.host=127.0.0.1"));
        child.command(command);
    }
}
