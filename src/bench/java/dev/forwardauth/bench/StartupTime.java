package dev.forwardauth.bench;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * How long {@code java -jar forwardauth.war} takes until {@code /health} answers 200, and the CPU the process
 * spent until then ({@code bash src/bench/run startup}). Plain {@code java -jar}, no JVM options: what a user
 * runs. The poller is this JVM, with a bare socket every 5 ms; a shell loop starting {@code curl} that often
 * takes a good share of a small machine's CPU from the start it measures (half a second more, here). The first
 * start of each WAR is not counted: it warms the page cache and this JVM.
 *
 * <p>BENCH_STARTUP_OPTS: JVM options for forwardauth (none by default), to measure, say, a class-data sharing
 * archive. With BENCH_COMPARE_WAR set, the two WARs start in turns (A, B, A, B, ...): one machine's speed drifts by
 * more than the differences worth measuring, and alternating spreads the drift over both.
 */
final class StartupTime {
    private final Path dir;
    private final int starts;
    private final List<String> jvmOptions;

    /** @param jvmOptions for forwardauth's JVM; none is what {@code java -jar} alone gives */
    StartupTime(Path dir, int starts, List<String> jvmOptions) {
        this.dir = dir;
        this.starts = starts;
        this.jvmOptions = jvmOptions;
    }

    /** One start: wall time to the first 200 on /health, and the process's CPU time at that moment. */
    private record Start(long wallMillis, long cpuMillis) {
    }

    void run(String issuer, List<Path> wars) throws Exception {
        Path config = Files.writeString(dir.resolve("forwardauth-startup.json"), AuthorizeBench.config(issuer, true));
        List<List<Start>> results = new ArrayList<>();
        wars.forEach(war -> results.add(new ArrayList<>()));
        for (Path war : wars) {
            start(war, config);
        }
        for (int i = 0; i < starts; i++) {
            for (int w = 0; w < wars.size(); w++) {
                results.get(w).add(start(wars.get(w), config));
            }
        }
        for (int w = 0; w < wars.size(); w++) {
            List<Start> runs = results.get(w);
            System.out.printf("%s, %d starts, JVM options: %s%n  wall ms: %s%n  CPU ms:  %s%n", wars.get(w),
                    runs.size(), jvmOptions.isEmpty() ? "none" : String.join(" ", jvmOptions),
                    summary(runs, Start::wallMillis), summary(runs, Start::cpuMillis));
        }
    }

    private Start start(Path war, Path config) throws IOException, InterruptedException {
        int port = AuthorizeBench.freePort();
        try (ChildJvm forwardauth = ChildJvm.start("forwardauth-startup", dir, jvmOptions, List.of("-jar",
                war.toString(), "--config", config.toString(), "--host", "127.0.0.1", "--port",
                String.valueOf(port)))) {
            long wall = awaitHealth(forwardauth, port);
            long cpu = forwardauth.cpu().toMillis();
            Thread.sleep(300);
            return new Start(wall, cpu);
        }
    }

    /** Milliseconds from the process start to the first {@code 200} on /health. */
    private static long awaitHealth(ChildJvm forwardauth, int port) throws IOException, InterruptedException {
        byte[] request = "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            forwardauth.checkAlive();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(request);
                byte[] status = socket.getInputStream().readNBytes(12);
                if (new String(status, StandardCharsets.US_ASCII).equals("HTTP/1.1 200")) {
                    return forwardauth.sinceStart().toMillis();
                }
            } catch (ConnectException e) {
                // not listening yet
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("no 200 on /health within 60 s");
    }

    /** "median M, min A, max B  [each run]". */
    private static String summary(List<Start> runs, ToLongFunction<Start> value) {
        long[] values = runs.stream().mapToLong(value).toArray();
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return String.format("median %d, min %d, max %d  %s", sorted[sorted.length / 2], sorted[0],
                sorted[sorted.length - 1], Arrays.toString(values));
    }
}
