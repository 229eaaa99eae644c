package dev.forwardauth.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The results as a Markdown table (to paste into docs/performance.md). The bare handler ran right before and
 * right after every case; each case's throughput is divided by the mean of those two bare runs.
 */
final class ResultTable {
    private final List<Wrk.Result> bareRuns = new ArrayList<>();
    private final List<String> rows = new ArrayList<>();
    private BenchCase bare;

    boolean isEmpty() {
        return bareRuns.isEmpty();
    }

    void bare(BenchCase c, Wrk.Result result) {
        bare = c;
        bareRuns.add(result);
    }

    void row(BenchCase c, Wrk.Result result, Wrk.Result bareBefore, Wrk.Result bareAfter) {
        double around = (bareBefore.requestsPerSecond() + bareAfter.requestsPerSecond()) / 2;
        rows.add(String.format("| %s | %d | %.0f | %.2f | %.2f | %.2f |", c.label(), c.expectedStatus(),
                result.requestsPerSecond(), result.p50Millis(), result.p99Millis(), result.requestsPerSecond() / around));
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
        rows.forEach(out::println);
    }
}
