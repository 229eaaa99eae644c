package dev.forwardauth.containers;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real servlet container, unpacked by the build into {@code target/containers/}, run as a child process
 * with the unchanged {@code target/forwardauth.war} (at {@code /} unless a subclass says otherwise). Each
 * instance lays out its own server (a CATALINA_BASE or a Jetty base) in a temporary folder, on a free
 * loopback port, and {@link #close()} stops the process and deletes that folder.
 */
abstract class ServletContainer implements AutoCloseable {
    static final Path WAR = Path.of(System.getProperty("forwardauth.war", "target/forwardauth.war")).toAbsolutePath();
    /** The project folder: target/.. (the repo's jetty-base/ and docs/ are what the tests run). */
    static final Path PROJECT = WAR.getParent().getParent();
    /** Where the pom's unpack-containers execution puts the distributions. */
    static final Path DISTRIBUTIONS = WAR.getParent().resolve("containers");
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    /**
     * Test-only JVM options for the child: quick start-up on a small machine. They are no part of the
     * documented setup, so they never go into setenv.sh or the Jetty base.
     */
    static final List<String> QUICK_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m");
    /** Settings of the test runner's own environment that would change what the child does. */
    private static final List<String> FOREIGN_ENV = List.of("FORWARDAUTH_CONFIG", "PORT", "JAVA_OPTS",
            "CATALINA_OPTS", "CATALINA_HOME", "CATALINA_BASE", "CATALINA_PID", "CATALINA_TMPDIR", "JRE_HOME",
            "JAVA_OPTIONS", "JETTY_HOME", "JETTY_BASE", "CLASSPATH");

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final Path dir;
    private final Path console;
    private int port;
    private Process process;
    /** Kills the child should the test JVM end without {@link #close()} (a killed build, a crash). */
    private Thread killOnExit;

    ServletContainer() {
        try {
            dir = Files.createTempDirectory("forwardauth-" + getClass().getSimpleName().toLowerCase() + "-");
            console = dir.resolve("console.log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** For messages: "Tomcat 11", "Jetty base". */
    abstract String name();

    /** What the container prints at start-up that names its version, e.g. {@code Apache Tomcat/11.0.}. */
    abstract String versionBanner();

    /**
     * Lays out the server in {@link #dir}, deploying {@code war} at {@code /} with its config file named by
     * {@code config}, and sets on {@code child} (whose environment holds none of the test runner's
     * settings for servers) the command, folder and environment that run it in the foreground on
     * {@code port}.
     */
    abstract void prepare(ProcessBuilder child, Path war, Path config, int port) throws IOException;

    /** Starts the container with this config and returns once {@code /health} answers 200. */
    final void start(String configJson) throws IOException, InterruptedException {
        if (!Files.isRegularFile(WAR)) {
            fail("no " + WAR + ": run `mvn verify`, which packages the WAR before the ITs");
        }
        Path config = Files.writeString(dir.resolve("forwardauth.json"), configJson);
        port = freePort();
        ProcessBuilder builder = new ProcessBuilder();
        Map<String, String> env = builder.environment();
        FOREIGN_ENV.forEach(env::remove);
        env.put("JAVA_HOME", System.getProperty("java.home"));
        prepare(builder, WAR, config, port);
        builder.redirectErrorStream(true).redirectOutput(console.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        long started = System.nanoTime();
        process = builder.start();
        ProcessHandle handle = process.toHandle();
        killOnExit = new Thread(() -> {
            handle.descendants().forEach(ProcessHandle::destroyForcibly);
            handle.destroyForcibly();
        }, "kill " + name());
        Runtime.getRuntime().addShutdownHook(killOnExit);
        awaitHealthy();
        System.out.printf("%s: %d ms to the first 200 from /health%n", name(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** Where the WAR is deployed: {@code ""} for the root context, else e.g. {@code /forwardauth}. */
    String contextPath() {
        return "";
    }

    /** A URL of the webapp, exactly as written: {@code rawPathAndQuery} is relative to the context path. */
    URI uri(String rawPathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + contextPath() + rawPathAndQuery);
    }

    /** Everything the container printed so far (its console: catalina.sh run and Jetty log there). */
    String log() {
        try {
            return Files.exists(console) ? Files.readString(console) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitHealthy() throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        HttpRequest health = HttpRequest.newBuilder(uri("/health")).timeout(Duration.ofSeconds(2)).build();
        int last = -1;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail(name() + " exited with " + process.exitValue() + " before /health answered; its output:\n"
                        + log());
            }
            try {
                last = HTTP.send(health, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (last == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                // keep polling
            }
            Thread.sleep(200);
        }
        fail(name() + ": no 200 from /health within " + START_TIMEOUT + " (last status " + last + "); its output:\n"
                + log());
    }

    /** SIGTERM (the container's own orderly shutdown), then SIGKILL for whatever is left; then the files go. */
    @Override
    public void close() {
        try {
            if (process != null) {
                stop(process.toHandle());
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            }
        } finally {
            delete(dir);
        }
    }

    private static void stop(ProcessHandle root) {
        // start.jar or a wrapper may have forked: stop the children too.
        List<ProcessHandle> tree = Stream.concat(root.descendants(), Stream.of(root)).toList();
        tree.forEach(ProcessHandle::destroy);
        if (!awaitExit(tree, STOP_TIMEOUT)) {
            tree.forEach(ProcessHandle::destroyForcibly);
            awaitExit(tree, STOP_TIMEOUT);
        }
    }

    private static boolean awaitExit(List<ProcessHandle> processes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ProcessHandle handle : processes) {
            try {
                handle.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception notYet) {
                return false;
            }
        }
        return true;
    }

    static void delete(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + folder + ": " + e);
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    /** An unpacked distribution under target/containers, e.g. {@code tomcat-11}. */
    static Path distribution(String folder) {
        Path home = DISTRIBUTIONS.resolve(folder);
        if (!Files.isDirectory(home)) {
            fail("no " + home + ": the pom's unpack-containers execution puts it there in pre-integration-test;"
                    + " run `mvn verify`");
        }
        return home;
    }

    /** Replaces exactly one occurrence, so a distribution whose files changed shape fails loudly here. */
    static String replaceOnce(String text, String from, String to, Path file) {
        int at = text.indexOf(from);
        if (at < 0 || text.indexOf(from, at + 1) >= 0) {
            fail("expected exactly one `" + from + "` in " + file);
        }
        return text.replace(from, to);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
