package dev.forwardauth.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DecisionLogWriterTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final AtomicInteger dropped = new AtomicInteger();

    private static Decision decision(int status, String requestId) {
        return new Decision(Instant.parse("2026-11-27T10:00:00Z"), requestId, "app.example.com", "GET",
                "app.example.com", "/", status == 200 ? "alice" : null, null, status,
                status == 200 ? DecisionOutcome.ALLOW : DecisionOutcome.UNAUTHENTICATED, "x");
    }

    private List<String> lines() {
        String text = out.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : text.lines().toList();
    }

    private static String requestId(String line) {
        try (var reader = Json.createReader(new StringReader(line))) {
            return reader.readObject().getString("request_id");
        }
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfWaiting() {
        DecisionLogWriter writer = new DecisionLogWriter(4, false, out, dropped::incrementAndGet);
        for (int i = 1; i <= 7; i++) {
            writer.accept(decision(200, "r" + i));
        }
        assertEquals(3, dropped.get());
        assertEquals(4, writer.queued());

        writer.start();
        writer.close();
        assertEquals(List.of("r1", "r2", "r3", "r4"), lines().stream().map(DecisionLogWriterTest::requestId).toList());
        assertEquals(0, writer.queued());
        assertEquals(3, dropped.get());
    }

    @Test
    void writtenLinesFreeTheirPlaces() {
        DecisionLogWriter writer = new DecisionLogWriter(2, false, out, dropped::incrementAndGet);
        DecisionJson json = new DecisionJson();
        StringBuilder text = new StringBuilder();
        writer.accept(decision(200, "a"));
        writer.accept(decision(200, "b"));
        assertTrue(writer.writeBatch(json, text));
        writer.accept(decision(200, "c"));
        writer.accept(decision(200, "d"));
        assertTrue(writer.writeBatch(json, text));
        assertEquals(false, writer.writeBatch(json, text));
        assertEquals(0, dropped.get());
        assertEquals(List.of("a", "b", "c", "d"), lines().stream().map(DecisionLogWriterTest::requestId).toList());
    }

    @Test
    void deniedOnlyLeavesOutWhatPassed() {
        DecisionLogWriter writer = new DecisionLogWriter(8, true, out, dropped::incrementAndGet);
        writer.accept(decision(200, "passed"));
        writer.accept(decision(401, "refused"));
        writer.start();
        writer.close();
        assertEquals(List.of("refused"), lines().stream().map(DecisionLogWriterTest::requestId).toList());
    }

    @Test
    void theWriterThreadWritesWithoutBeingAskedAndStopsOnClose() throws Exception {
        DecisionLogWriter writer = new DecisionLogWriter(false, out, dropped::incrementAndGet);
        writer.accept(decision(200, "live"));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (lines().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(List.of("live"), lines().stream().map(DecisionLogWriterTest::requestId).toList());
        writer.close();
        writer.accept(decision(200, "after close"));
        assertEquals(1, dropped.get(), "nothing is queued once the writer has stopped");
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("forwardauth-decision-log") && t.isAlive()));
    }
}
