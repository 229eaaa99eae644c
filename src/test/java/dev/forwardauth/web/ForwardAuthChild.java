package dev.forwardauth.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar target/forwardauth.war --config FILE --host 127.0.0.1 --port N} as a child process, the way
 * it runs in production: started, waited for until /health answers 200, stopped with SIGTERM as an
 * orchestrator stops it. Output goes to a file (a full pipe would block the child).
 */
final class ForwardAuthChild implements AutoCloseable {
    static final Path WAR = Path.of(System.getProperty("forwardauth.war", "target/forwardauth.war")).toAbsolutePath();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final Path log;
    private final int port;

    private ForwardAuthChild(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    static ForwardAuthChild start(Path dir, Path config, int port, String name) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Djava.io.tmpdir=" + dir);
        command.add("-Xmx256m");
        command.addAll(List.of("-jar", WAR.toString(), "--config", config.toString(), "--host", "127.0.0.1",
                "--port", String.valueOf(port)));
        Path log = dir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("FORWARDAUTH_CONFIG");
        builder.environment().remove("PORT");
        return new ForwardAuthChild(builder.start(), log, port);
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    /** Polls /health until it answers 200. */
    void awaitHealthy() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        HttpRequest health = HttpRequest.newBuilder(base().resolve("/health")).timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("forwardauth exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                if (HTTP.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no 200 from /health within " + START_TIMEOUT + ":\n" + log());
    }

    /** SIGTERM, then a kill if it has not ended within 30 s. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The log's warnings and errors, at most {@code max} lines: what forwardauth said went wrong. */
    List<String> warnings(int max) {
        try {
            return Files.readAllLines(log).stream().filter(line -> line.contains("WARN") || line.contains("ERROR")
                    || line.contains("SEVERE"))
                    .limit(max).toList();
        } catch (IOException e) {
            return List.of("(no log: " + e.getMessage() + ")");
        }
    }

    String log() {
        try {
            String text = Files.readString(log);
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}
