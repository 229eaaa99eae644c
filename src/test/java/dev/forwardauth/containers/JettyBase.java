package dev.forwardauth.containers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -jar $JETTY_HOME/start.jar jetty.base=...} with an unpacked jetty-home (read-only) and a copy
 * of the repo's {@code jetty-base/}, unchanged but for the one file docs/jetty.md has the user add:
 * {@code webapps/forwardauth.properties}, naming the WAR. The config file is named by the system property
 * {@code forwardauth.config}.
 */
final class JettyBase extends ServletContainer {
    static final Path REPO_BASE = PROJECT.resolve("jetty-base");

    @Override
    String name() {
        return "Jetty base on jetty-home 12.1";
    }

    @Override
    String versionBanner() {
        return "jetty-12.1.";
    }

    @Override
    void prepare(ProcessBuilder child, Path war, Path config, int port) throws IOException {
        Path home = DISTRIBUTIONS.resolve("jetty-home");
        Path base = dir.resolve("jetty-base");
        copyTree(REPO_BASE, base);
        Files.writeString(base.resolve("webapps/forwardauth.properties"), "forwardauth.war=" + war + "\n");
        // Jetty unpacks the WAR under java.io.tmpdir: keep that inside the folder close() deletes.
        Path tmp = Files.createDirectories(dir.resolve("tmp"));

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(QUICK_JVM);
        command.add("-Djava.io.tmpdir=" + tmp);
        command.add("-Dforwardauth.config=" + config);
        command.addAll(List.of("-jar", home.resolve("start.jar").toString(), "jetty.base=" + base,
                "jetty.http.port=" + port, "jetty.http.host=127.0.0.1"));
        child.command(command).directory(base.toFile());
    }
}
