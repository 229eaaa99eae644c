package dev.forwardauth.launcher;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar forwardauth.war ...} as a child process. Output goes to files (a full pipe would block
 * the child); {@link #close()} kills whatever is still running.
 */
final class WarProcess implements AutoCloseable {
    static final Path WAR = Path.of(System.getProperty("forwardauth.war", "target/forwardauth.war")).toAbsolutePath();
    static final Duration SHORT_COMMAND = Duration.ofSeconds(30);

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private WarProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * @param dir for the output files and the child's java.io.tmpdir, so its private unpack directory is
     *     visible to the test
     * @param env added to an environment without FORWARDAUTH_CONFIG and PORT
     */
    static WarProcess start(Path dir, Map<String, String> env, List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Djava.io.tmpdir=" + dir);
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(WAR.toString());
        command.addAll(List.of(args));
        try {
            Path stdout = Files.createTempFile(dir, "stdout-", ".txt");
            Path stderr = Files.createTempFile(dir, "stderr-", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
            builder.environment().remove("FORWARDAUTH_CONFIG");
            builder.environment().remove("PORT");
            builder.environment().putAll(env);
            return new WarProcess(builder.start(), stdout, stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a command that ends by itself, and returns when it has. */
    static WarProcess run(Path dir, Map<String, String> env, List<String> jvmOptions, String... args) {
        WarProcess war = start(dir, env, jvmOptions, args);
        try {
            war.awaitExit(SHORT_COMMAND);
            return war;
        } finally {
            war.close();
        }
    }

    static WarProcess run(Path dir, String... args) {
        return run(dir, Map.of(), List.of(), args);
    }

    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                close();
                fail("still running after " + timeout + "; stderr:\n" + stderr());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
        return process.exitValue();
    }

    int exitCode() {
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The child's process id, for signals the JDK cannot send (SIGHUP). */
    long pid() {
        return process.pid();
    }

    /** SIGTERM on Unix: what an orchestrator sends to stop the server. */
    void terminate() {
        process.destroy();
    }

    String stdout() {
        return read(stdout);
    }

    String stderr() {
        return read(stderr);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
