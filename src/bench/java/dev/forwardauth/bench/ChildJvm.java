package dev.forwardauth.bench;

import java.io.IOException;
import java.net.ConnectException;
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

/** A server in a JVM of its own: started, waited for until it answers 200, measured, stopped. */
final class ChildJvm implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final long startedNanos;
    private final Path log;

    private ChildJvm(String name, Process process, long startedNanos, Path log) {
        this.name = name;
        this.process = process;
        this.startedNanos = startedNanos;
        this.log = log;
    }

    /** {@code java <jvmOptions> <arguments>}, output to {@code <dir>/<name>.log}. */
    static ChildJvm start(String name, Path dir, List<String> jvmOptions, List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Djava.io.tmpdir=" + dir);
        command.addAll(jvmOptions);
        command.addAll(arguments);
        Path log = dir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        long started = System.nanoTime();
        return new ChildJvm(name, builder.start(), started, log);
    }

    /** Polls {@code url} every 10 ms until it answers 200; returns the time since the process was started. */
    Duration awaitOk(URI url) throws IOException, InterruptedException {
        long deadline = startedNanos + START_TIMEOUT.toNanos();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline) {
            checkAlive();
            try {
                if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return Duration.ofNanos(System.nanoTime() - startedNanos);
                }
            } catch (ConnectException e) {
                // not listening yet
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException(name + " did not answer 200 on " + url + " within " + START_TIMEOUT);
    }

    /** Throws if the process has ended (a start that failed). */
    void checkAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
        }
    }

    /** The time since the process was started. */
    Duration sinceStart() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** The process's CPU time so far, user and system. */
    Duration cpu() {
        return process.toHandle().info().totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("no CPU time for " + name));
    }

    long pid() {
        return process.pid();
    }

    /** Resident set size now and at its peak, in KiB, from {@code /proc/<pid>/status}. */
    long[] rssKib() throws IOException {
        long rss = -1;
        long peak = -1;
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = kib(line);
            } else if (line.startsWith("VmHWM:")) {
                peak = kib(line);
            }
        }
        return new long[] {rss, peak};
    }

    /**
     * Waits, at most a minute, until the JIT's compile queues are empty. Measured while the C2 compiler still
     * works through a backlog, a case measures interpreted code: on two cores, after the start and with the
     * bare handler's runs taking the CPU, Jetty's header parser once waited 21 s in the C2 queue and case (a)
     * ran at a fifth of its speed. No request is sent meanwhile, so the queue only drains.
     */
    void awaitJitIdle() throws IOException, InterruptedException {
        long started = System.nanoTime();
        long deadline = started + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < deadline) {
            if (compileQueuesEmpty(jcmd("Compiler.queue"))) {
                long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                if (waited >= 1000) {
                    System.out.printf("    (%s: waited %.1f s for the JIT's queue to empty)%n", name, waited / 1000.0);
                }
                return;
            }
            Thread.sleep(500);
        }
        System.out.printf("    (%s: the JIT's queue was not empty after a minute; measuring anyway)%n", name);
    }

    static boolean compileQueuesEmpty(String queue) {
        return queue.contains("C1 compile queue:\nEmpty") && queue.contains("C2 compile queue:\nEmpty");
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(process.pid()), command).redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes());
        jcmd.waitFor();
        return out;
    }

    /** VmRSS, VmHWM and the heap's live objects after a full GC (jcmd's class histogram forces one). */
    String memory() throws IOException, InterruptedException {
        long[] rss = rssKib();
        String histogram = jcmd("GC.class_histogram");
        String live = "?";
        for (String line : histogram.split("\n")) {
            if (line.startsWith("Total")) {
                String[] fields = line.trim().split("\\s+");
                live = String.format("%.1f", Long.parseLong(fields[2]) / 1048576.0);
            }
        }
        return String.format("VmRSS %d MiB, VmHWM (peak) %d MiB, live heap after a full GC %s MiB",
                rss[0] / 1024, rss[1] / 1024, live);
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    /** SIGTERM (so a flight recording is written), then a kill if it does not end within 20 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
