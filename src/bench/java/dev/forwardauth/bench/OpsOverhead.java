package dev.forwardauth.bench;

import dev.forwardauth.ops.Decision;
import dev.forwardauth.ops.DecisionLogWriter;
import dev.forwardauth.ops.DecisionOutcome;
import dev.forwardauth.ops.ForwardAuthMetrics;
import dev.forwardauth.ops.RequestIds;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The CPU that metrics and the decision log take per decision, measured in one JVM with the classes
 * /authorize uses: the Prometheus registry's count and latency sample, and the log writer's queue, JSON line
 * and write (to a file, as a redirected stdout is). Process CPU time, not wall time, over a million decisions:
 * the writer's thread, the JIT and the GC count too, and other work on the machine hardly moves it.
 *
 * <p>The end-to-end comparison in {@link OpsCost} measures the same through HTTP, but on a shared two-core
 * machine its rounds scatter by tens of per cent; this number is what to hold against the CPU time of a whole
 * /authorize request that OpsCost reports.
 */
final class OpsOverhead {
    private static final int BATCH = 10_000;

    private OpsOverhead() {
    }

    /** The in-JVM part alone, without the servers: {@code java -cp ... dev.forwardauth.bench.OpsOverhead}. */
    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        for (int run = 1; run <= 3; run++) {
            double[] overhead = measure(dir, 1_000_000);
            System.out.printf("run %d: metrics %.2f µs, decision log %.2f µs of CPU per decision%n", run,
                    overhead[0] / 1000, overhead[1] / 1000);
        }
    }

    /** Nanoseconds of process CPU per decision: {@code [metrics, decision log]}. */
    static double[] measure(Path dir, int decisions) throws Exception {
        Path logFile = dir.resolve("ops-overhead-decisions.log");
        ForwardAuthMetrics on = ForwardAuthMetrics.prometheus();
        ForwardAuthMetrics off = ForwardAuthMetrics.disabled();
        RequestIds ids = new RequestIds();
        double metrics;
        double log;
        try (OutputStream file = new BufferedOutputStream(new FileOutputStream(logFile.toFile()), 8192);
             DecisionLogWriter writer = new DecisionLogWriter(false, file, () -> {
                 throw new IllegalStateException("the queue overflowed: the measurement would be too kind");
             })) {
            for (int warmUp = 0; warmUp < 3; warmUp++) {
                run(on, null, ids, decisions / 4);
                run(off, null, ids, decisions / 4);
                run(off, writer, ids, decisions / 4);
            }
            double metricsOff = run(off, null, ids, decisions);
            double metricsOn = run(on, null, ids, decisions);
            double withLog = run(off, writer, ids, decisions);
            metrics = metricsOn - metricsOff;
            log = withLog - metricsOff;
        } finally {
            on.close();
            off.close();
            Files.deleteIfExists(logFile);
        }
        return new double[] {metrics, log};
    }

    // What DecisionFilter does once the answer is written, for an allowed session request.
    private static double run(ForwardAuthMetrics metrics, DecisionLogWriter writer, RequestIds ids, int decisions)
            throws InterruptedException {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        for (int done = 0; done < decisions; done += BATCH) {
            for (int i = 0; i < BATCH; i++) {
                long started = System.nanoTime();
                Decision decision = new Decision(Instant.ofEpochMilli(System.currentTimeMillis()), ids.of(null),
                        "app.example.com", "GET", "app.example.com", "/reports/q1", "auth0|5f8a1c2b9e", null, 200,
                        DecisionOutcome.ALLOW, "no rule matched; app requires login");
                metrics.decision(null, DecisionOutcome.ALLOW, System.nanoTime() - started);
                if (writer != null) {
                    writer.accept(decision);
                }
            }
            // Let the writer keep up, as it does at the benchmark's rates; its CPU time counts all the same.
            while (writer != null && writer.queued() > 0) {
                Thread.sleep(1);
            }
        }
        return (double) (os.getProcessCpuTime() - cpuBefore) / decisions;
    }
}
