package dev.forwardauth.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * The results as a Markdown table (to paste into docs/performance.md). The bare handler ran before every case
 * and after the last; each case's throughput is divided by the mean of the two bare runs around it.
 */
final class ResultTable {
    private final BenchCase bare;
    private final List<Wrk.Result> bareRuns;
    private final Map<BenchCase, Wrk.Result> results;

    ResultTable(BenchCase bare, List<Wrk.Result> bareRuns, Map<BenchCase, Wrk.Result> results) {
        this.bare = bare;
        this.bareRuns = bareRuns;
        this.results = results;
    }

    void print(PrintStream out) {
        out.println();
        out.println("| case | status | requests/s | p50 ms | p99 ms | vs bare around it |");
        out.println("|---|---|---:|---:|---:|---:|");
        double mean = bareRuns.stream().mapToDouble(Wrk.Result::requestsPerSecond).average().orElseThrow();
        double min = bareRuns.stream().mapToDouble(Wrk.Result::requestsPerSecond).min().orElseThrow();
        double max = bareRuns.stream().mapToDouble(Wrk.Result::requestsPerSecond).max().orElseThrow();
        double p50 = bareRuns.stream().mapToDouble(Wrk.Result::p50Millis).average().orElseThrow();
        double p99 = bareRuns.stream().mapToDouble(Wrk.Result::p99Millis).average().orElseThrow();
        out.printf("| %s, mean of %d runs (%.0f to %.0f) | %d | %.0f | %.2f | %.2f | 1.00 |%n", bare.label(),
                bareRuns.size(), min, max, bare.expectedStatus(), mean, p50, p99);
        int i = 0;
        for (Map.Entry<BenchCase, Wrk.Result> row : results.entrySet()) {
            Wrk.Result r = row.getValue();
            double around = (bareRuns.get(i).requestsPerSecond() + bareRuns.get(i + 1).requestsPerSecond()) / 2;
            out.printf("| %s | %d | %.0f | %.2f | %.2f | %.2f |%n", row.getKey().label(),
                    row.getKey().expectedStatus(), r.requestsPerSecond(), r.p50Millis(), r.p99Millis(),
                    r.requestsPerSecond() / around);
            i++;
        }
    }
}
