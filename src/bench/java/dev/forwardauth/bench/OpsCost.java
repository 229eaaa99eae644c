package dev.forwardauth.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import no.nav.security.mock.oauth2.MockOAuth2Server;

/**
 * What metrics and the decision log cost on /authorize ({@code bash src/bench/run ops}). Two forwardauth JVMs
 * from the same WAR run side by side, one with the defaults (both on) and one with {@code "metrics": false,
 * "decision-log": "off"}, and wrk alternates between them in short rounds, in the order on-off, off-on, ... .
 *
 * <p>Why not two separate runs of the whole benchmark: on a small shared machine the load drifts by more than
 * the few per cent measured here, so back-to-back runs minutes apart disagree by 30 % and more. Interleaving
 * cancels the drift, the median over rounds drops the disturbed ones, and the CPU time each JVM spent per
 * request (from /proc, while only it was driven) is a second measure that does not depend on how wrk and the
 * server share the cores.
 */
final class OpsCost {
    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux, see proc(5)

    private final AuthorizeBench.Settings settings;
    private final Path dir;
    private final int rounds;

    OpsCost(AuthorizeBench.Settings settings, Path dir, int rounds) {
        this.settings = settings;
        this.dir = dir;
        this.rounds = rounds;
    }

    /** One measured round of one server: requests per second and CPU microseconds per request. */
    private record Sample(double requestsPerSecond, double cpuMicrosPerRequest) {
    }

    void run(MockOAuth2Server idp, String issuer, int onPort, int offPort) throws Exception {
        Path onConfig = Files.writeString(dir.resolve("forwardauth-ops-on.json"), AuthorizeBench.config(issuer, true));
        Path offConfig = Files.writeString(dir.resolve("forwardauth-ops-off.json"),
                AuthorizeBench.config(issuer, false));
        double[] overhead = OpsOverhead.measure(dir, 1_000_000);
        System.out.printf("metrics and decision log, in this JVM: %.2f µs + %.2f µs of CPU per decision"
                + " (OpsOverhead)%n", overhead[0] / 1000, overhead[1] / 1000);
        System.out.printf("metrics and decision log: compared, %d rounds of %d s per server and case, after %d s"
                + " of warm-up each%n", rounds, settings.duration(), settings.warmUp());
        try (ChildJvm on = server("forwardauth-ops-on", onConfig, onPort);
             ChildJvm off = server("forwardauth-ops-off", offConfig, offPort)) {
            on.awaitOk(URI.create("http://127.0.0.1:" + onPort + "/health"));
            off.awaitOk(URI.create("http://127.0.0.1:" + offPort + "/health"));
            AuthorizeBench.Settings ab = settings.only(List.of("a", "b"));
            List<BenchCase> onCases = withoutBare(new BenchCases(idp, URI.create("http://127.0.0.1:" + onPort)).core(ab));
            List<BenchCase> offCases = withoutBare(new BenchCases(idp, URI.create("http://127.0.0.1:" + offPort))
                    .core(ab));
            Wrk wrk = new Wrk(settings.threads(), settings.connections(), dir);
            List<String> rows = new ArrayList<>();
            for (int c = 0; c < onCases.size(); c++) {
                BenchCase onCase = onCases.get(c);
                BenchCase offCase = offCases.get(c);
                System.out.printf("  %s: %s, warm-up of both ...%n", LocalTime.now().withNano(0), onCase.label());
                wrk.run(onCase, onPort, 0, settings.warmUp());
                wrk.run(offCase, offPort, 0, settings.warmUp());
                List<Sample> onSamples = new ArrayList<>();
                List<Sample> offSamples = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    System.out.printf("  %s: %s, round %d of %d ...%n", LocalTime.now().withNano(0), onCase.label(),
                            round + 1, rounds);
                    if (round % 2 == 0) {
                        onSamples.add(sample(wrk, onCase, on, onPort));
                        offSamples.add(sample(wrk, offCase, off, offPort));
                    } else {
                        offSamples.add(sample(wrk, offCase, off, offPort));
                        onSamples.add(sample(wrk, onCase, on, onPort));
                    }
                }
                rows.add(row(onCase, onSamples, offSamples, (overhead[0] + overhead[1]) / 1000));
            }
            System.out.println();
            System.out.println("| case | req/s, on | req/s, off | throughput cost | CPU µs/req, on | CPU µs/req, off"
                    + " | CPU cost | in-JVM cost |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
            rows.forEach(System.out::println);
            System.out.println("(req/s and CPU: medians over the rounds; cost: the median of the rounds' on/off ratios,"
                    + " with their range; what turning both on takes away, in per cent; in-JVM cost: the CPU per"
                    + " decision above against the CPU of a request with both off)");
        }
    }

    private ChildJvm server(String name, Path config, int port) throws IOException {
        return ChildJvm.start(name, dir, settings.jvmOptions(), List.of("-jar", settings.war().toString(), "--config",
                config.toString(), "--host", "127.0.0.1", "--port", String.valueOf(port)));
    }

    private static List<BenchCase> withoutBare(List<BenchCase> cases) {
        return cases.stream().filter(c -> !c.bare()).toList();
    }

    private Sample sample(Wrk wrk, BenchCase c, ChildJvm server, int port) throws Exception {
        long cpuBefore = cpuTicks(server.pid());
        Wrk.Result result = wrk.run(c, port, 0, settings.duration());
        long cpuAfter = cpuTicks(server.pid());
        if (!c.statusCountsMatch(result) || result.socketErrors() > 0) {
            throw new IllegalStateException(c.label() + ": unexpected answers or socket errors: " + result);
        }
        double cpuMicros = (cpuAfter - cpuBefore) * 1_000_000.0 / CLOCK_TICKS_PER_SECOND;
        return new Sample(result.requestsPerSecond(), cpuMicros / result.requests());
    }

    /** utime + stime of the whole process (all its threads), fields 14 and 15 of /proc/PID/stat. */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        // The command name in parentheses may hold spaces; the fields after it are plain.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    // Each round's on and off ran back to back, so their ratio is the least disturbed measure: the median of
    // those ratios is the cost, and their spread shows how far a single pair of runs could mislead.
    private static String row(BenchCase c, List<Sample> on, List<Sample> off, double overheadMicros) {
        double[] throughputCost = new double[on.size()];
        double[] cpuCost = new double[on.size()];
        for (int i = 0; i < on.size(); i++) {
            throughputCost[i] = 100 * (1 - on.get(i).requestsPerSecond() / off.get(i).requestsPerSecond());
            cpuCost[i] = 100 * (on.get(i).cpuMicrosPerRequest() / off.get(i).cpuMicrosPerRequest() - 1);
        }
        double offCpu = median(off.stream().mapToDouble(Sample::cpuMicrosPerRequest).toArray());
        return String.format("| %s | %.0f | %.0f | %+.1f %% (%+.1f to %+.1f) | %.1f | %.1f | %+.1f %% (%+.1f to %+.1f)"
                        + " | %.1f %% |",
                c.label(), median(on.stream().mapToDouble(Sample::requestsPerSecond).toArray()),
                median(off.stream().mapToDouble(Sample::requestsPerSecond).toArray()),
                median(throughputCost), min(throughputCost), max(throughputCost),
                median(on.stream().mapToDouble(Sample::cpuMicrosPerRequest).toArray()),
                offCpu, median(cpuCost), min(cpuCost), max(cpuCost), 100 * overheadMicros / offCpu);
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElseThrow();
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
