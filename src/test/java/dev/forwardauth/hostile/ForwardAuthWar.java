package dev.forwardauth.hostile;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged WAR as users run it, {@code java -jar target/forwardauth.war --config FILE --port N}, as a
 * child process on 127.0.0.1: what a hostile client meets in production, the launcher's HTTP limits and
 * error handling included. Output goes to files (a full pipe would block the child); close kills it.
 */
final class ForwardAuthWar implements AutoCloseable {
    static final Path WAR = Path.of(System.getProperty("forwardauth.war", "target/forwardauth.war")).toAbsolutePath();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path output;
    private final int port;

    private ForwardAuthWar(Process process, Path output, int port) {
        this.process = process;
        this.output = output;
        this.port = port;
    }

    static ForwardAuthWar start(Path dir, String configJson) throws Exception {
        Path config = Files.writeString(dir.resolve("forwardauth.json"), configJson);
        Path output = dir.resolve("output.txt");
        int port = freePort();
        Process process = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + dir, "-jar", WAR.toString(),
                "--config", config.toString(), "--port", String.valueOf(port), "--host", "127.0.0.1"))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        ForwardAuthWar war = new ForwardAuthWar(process, output, port);
        war.awaitHealthy();
        return war;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port).resolve(path);
    }

    int port() {
        return port;
    }

    /** Everything the server wrote to stdout and stderr so far. */
    String log() throws IOException {
        return Files.readString(output);
    }

    private void awaitHealthy() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("forwardauth exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                HttpResponse<Void> health = http.send(HttpRequest.newBuilder(uri("/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            process.waitFor(100, TimeUnit.MILLISECONDS);
        }
        close();
        throw new IllegalStateException("forwardauth not healthy after " + START_TIMEOUT + ":\n" + log());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
