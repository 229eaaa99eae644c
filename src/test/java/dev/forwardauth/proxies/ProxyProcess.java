package dev.forwardauth.proxies;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real proxy (caddy, nginx) as a child process of the test: started in the foreground with its output in
 * a file, ready once its loopback port accepts connections, stopped with SIGTERM in {@link #close()} (then
 * killed if it lingers). Never the system service: configuration, logs and pid live in the test's temp dir.
 */
final class ProxyProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final List<String> SYSTEM_DIRS = List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin",
            "/usr/local/sbin", "/usr/local/bin");

    private final String name;
    private final Process process;
    private final Path output;
    private final Thread reaper;

    private ProxyProcess(String name, Process process, Path output) {
        this.name = name;
        this.process = process;
        this.output = output;
        // Should the test JVM end without close() (killed build), do not leave a proxy behind.
        this.reaper = new Thread(this::stop, "stop-" + name);
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /**
     * The executable's path. Missing is a failure, not a skip: CI installs both proxies, and a green build
     * must mean they were tested.
     */
    static Path require(String executable) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        dirs.addAll(SYSTEM_DIRS); // nginx lives in /usr/sbin, which a non-root PATH may lack
        return dirs.stream().filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, executable))
                .filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new AssertionError(executable + " is not installed, so forwardauth cannot be "
                        + "tested behind it. .ci/run installs it: apt-get install -y --no-install-recommends caddy "
                        + "nginx-light (Debian/Ubuntu)."));
    }

    /** A port that was free a moment ago on 127.0.0.1, for a proxy whose configuration must name its port. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts {@code command} in {@code dir} with {@code env} added, and waits until 127.0.0.1:port listens. */
    static ProxyProcess start(String name, List<String> command, Path dir, Map<String, String> env, int port)
            throws IOException {
        Path output = dir.resolve(name + ".out");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(env);
        ProxyProcess proxy = new ProxyProcess(name, builder.start(), output);
        proxy.awaitListening(port);
        return proxy;
    }

    private void awaitListening(int port) {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                close();
                throw new AssertionError(name + " exited with " + process.exitValue() + " at start:\n" + output());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        close();
        throw new AssertionError(name + " did not listen on 127.0.0.1:" + port + " within " + START_TIMEOUT
                + ":\n" + output());
    }

    /** What the proxy printed so far, for failure messages. */
    String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    private void stop() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        // nginx's workers end with their master; this is for a master that was killed before it could tell them.
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: nothing left to do
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
