package dev.forwardauth.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives one case with {@code wrk} over loopback: a Lua script sets the request's path and headers, wrk
 * keeps {@code connections} connections busy on {@code threads} threads and reports throughput and the latency
 * distribution ({@code --latency}), which is parsed here.
 */
final class Wrk {
    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern ERRORS = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    private final int threads;
    private final int connections;
    private final Path dir;

    Wrk(int threads, int connections, Path dir) {
        this.threads = threads;
        this.connections = connections;
        this.dir = dir;
    }

    /** What one measured run printed: requests/s, latencies in ms, and what went wrong, if anything. */
    record Result(double requestsPerSecond, double p50Millis, double p99Millis, long requests, long non2xx,
                  long socketErrors) {
    }

    /** A warm-up run whose numbers are dropped, then the measured run. */
    Result run(BenchCase c, int port, int warmUpSeconds, int measureSeconds) throws IOException, InterruptedException {
        return run(c, port, warmUpSeconds, measureSeconds, () -> { });
    }

    /** As above, with {@code beforeMeasuring} between the warm-up and the measured run. */
    Result run(BenchCase c, int port, int warmUpSeconds, int measureSeconds, Pause beforeMeasuring)
            throws IOException, InterruptedException {
        Path script = dir.resolve(c.key() + ".lua");
        String lua = lua(c.path(), c.headers()) + (c.rotation() == null ? "" : rotation(c.rotation()));
        Files.writeString(script, lua, StandardCharsets.UTF_8);
        if (warmUpSeconds > 0) {
            wrk(script, port, warmUpSeconds);
        }
        beforeMeasuring.await();
        return parse(wrk(script, port, measureSeconds));
    }

    @FunctionalInterface
    interface Pause {
        void await() throws IOException, InterruptedException;
    }

    static String lua(String path, Map<String, String> headers) {
        StringBuilder lua = new StringBuilder("wrk.method = \"GET\"\nwrk.path = ").append(quoted(path)).append('\n');
        headers.forEach((name, value) -> lua.append("wrk.headers[ ").append(quoted(name)).append(" ] = ")
                .append(quoted(value)).append('\n'));
        return lua.toString();
    }

    // Each request takes the next value; each wrk thread starts at another place in the list.
    static String rotation(BenchCase.Rotation rotation) {
        StringBuilder lua = new StringBuilder("local values = {\n");
        rotation.values().forEach(value -> lua.append(quoted(value)).append(",\n"));
        return lua.append("}\n")
                .append("local threads = 0\n")
                .append("function setup(thread) thread:set(\"first\", threads * 7919) threads = threads + 1 end\n")
                .append("local i = 0\n")
                .append("function init(args) i = (first or 0) % #values end\n")
                .append("function request()\n")
                .append("  i = i % #values + 1\n")
                .append("  wrk.headers[ ").append(quoted(rotation.header())).append(" ] = values[i]\n")
                .append("  return wrk.format()\n")
                .append("end\n").toString();
    }

    // A Lua long string: no escapes inside, and no header value of ours contains "]==]". Inside brackets it
    // needs the spaces around it, as "[[" would open a long string itself.
    private static String quoted(String value) {
        if (value.contains("]==]")) {
            throw new IllegalArgumentException("cannot quote " + value);
        }
        return "[==[" + value + "]==]";
    }

    private String wrk(Path script, int port, int seconds) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                "--latency", "-s", script.toString(), "http://127.0.0.1:" + port))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("wrk failed:\n" + output);
        }
        return output;
    }

    static Result parse(String output) {
        long errors = 0;
        Matcher socket = ERRORS.matcher(output);
        if (socket.find()) {
            for (int i = 1; i <= 4; i++) {
                errors += Long.parseLong(socket.group(i));
            }
        }
        Matcher non2xx = NON_2XX.matcher(output);
        return new Result(Double.parseDouble(group(RATE, output)), percentile(output, "50%"),
                percentile(output, "99%"), Long.parseLong(group(TOTAL, output)),
                non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0, errors);
    }

    private static String group(Pattern pattern, String output) {
        Matcher matcher = pattern.matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + pattern + " in wrk's output:\n" + output);
        }
        return matcher.group(1);
    }

    // "     99%    4.71ms" under "Latency Distribution"; wrk picks us, ms, s or m as the unit.
    private static double percentile(String output, String label) {
        Matcher matcher = Pattern.compile("^\\s+" + Pattern.quote(label) + "\\s+([0-9.]+)(us|ms|s|m)\\s*$",
                Pattern.MULTILINE).matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + label + " latency in wrk's output:\n" + output);
        }
        double value = Double.parseDouble(matcher.group(1));
        return switch (matcher.group(2)) {
            case "us" -> value / 1000;
            case "ms" -> value;
            case "s" -> value * 1000;
            default -> value * 60_000;
        };
    }
}
