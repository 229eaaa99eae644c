package dev.forwardauth.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A steady stream of /authorize requests from callers who should all pass: browsers with a valid session
 * cookie and API clients with a valid bearer token, round robin, from a few worker threads over one HTTP
 * client (several connections). Every answer is recorded with its start and end time, so that it can be
 * counted against what was happening to the IdP and to forwardauth at that moment.
 */
final class SteadyLoad {
    static final String CONNECTION_ERROR = "connection error";
    static final String TIMEOUT = "timeout";

    /** One caller: the header that identifies it and the user forwardauth must name in X-Forwarded-User. */
    record Caller(String kind, String header, String value, String user) {
    }

    /** One request: when it ran, which caller sent it, and the status (or "connection error") it got. */
    record Answer(long startNanos, long endNanos, int caller, String outcome) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final URI authorize;
    private final List<Caller> callers;
    private final Duration pause;
    private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final AtomicInteger next = new AtomicInteger();
    private final Map<String, String> samples = new ConcurrentHashMap<>();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running = true;

    SteadyLoad(URI authorize, List<Caller> callers, int workers, Duration pause) {
        this.authorize = authorize;
        this.callers = List.copyOf(callers);
        this.pause = pause;
        for (int i = 0; i < workers; i++) {
            Thread worker = new Thread(this::work, "steady-load-" + i);
            worker.setDaemon(true);
            this.workers.add(worker);
        }
    }

    void start() {
        workers.forEach(Thread::start);
    }

    /** Stops the workers and returns every answer, in no particular order. */
    List<Answer> stop() throws InterruptedException {
        running = false;
        for (Thread worker : workers) {
            worker.join(60_000);
        }
        return new ArrayList<>(answers);
    }

    List<Caller> callers() {
        return callers;
    }

    /** For each answer other than 200: the first body (or error) seen, shortened; to tell where it came from. */
    Map<String, String> samples() {
        return new TreeMap<>(samples);
    }

    private void work() {
        while (running) {
            int caller = Math.floorMod(next.getAndIncrement(), callers.size());
            long started = System.nanoTime();
            String outcome = send(callers.get(caller));
            answers.add(new Answer(started, System.nanoTime(), caller, outcome));
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static String shorten(String text) {
        String line = text.replaceAll("\\s+", " ");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    private String send(Caller caller) {
        HttpRequest request = HttpRequest.newBuilder(authorize).timeout(Duration.ofSeconds(30))
                .header("X-Forwarded-Method", "GET").header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "app.example.com").header("X-Forwarded-Uri", "/api/items")
                .header("Accept", "application/json").header(caller.header(), caller.value()).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String outcome = String.valueOf(response.statusCode());
            if (response.statusCode() == 200
                    && !caller.user().equals(response.headers().firstValue("X-Forwarded-User").orElse(""))) {
                outcome = "200 with another user";
            }
            if (response.statusCode() != 200) {
                samples.putIfAbsent(outcome, shorten(response.body()));
            }
            return outcome;
        } catch (HttpConnectTimeoutException e) {
            samples.putIfAbsent(CONNECTION_ERROR, e.toString());
            return CONNECTION_ERROR;
        } catch (HttpTimeoutException e) {
            samples.putIfAbsent(TIMEOUT, e.toString());
            return TIMEOUT;
        } catch (IOException e) {
            samples.putIfAbsent(CONNECTION_ERROR, e.toString());
            return CONNECTION_ERROR;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CONNECTION_ERROR;
        }
    }
}
