package dev.forwardauth.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DecisionJsonTest {
    private static final Instant TIME = Instant.parse("2026-11-27T09:14:03.512345Z");

    static Decision decision(String path, String user, String reason) {
        return new Decision(TIME, "req-1", "app.example.com", "GET", "app.example.com", path, user,
                "rules[1] /admin/** GET", 403, DecisionOutcome.INSUFFICIENT, reason);
    }

    private static JsonObject parse(String line) {
        try (var reader = Json.createReader(new StringReader(line))) {
            return reader.readObject();
        }
    }

    @Test
    void aDecisionIsOneJsonObjectWithItsFieldsInOrder() {
        String line = new DecisionJson().line(decision("/admin/x", "alice", "missing scopes: admin:site"));
        assertEquals("{\"time\":\"2026-11-27T09:14:03.512Z\",\"request_id\":\"req-1\",\"app\":\"app.example.com\","
                + "\"method\":\"GET\",\"host\":\"app.example.com\",\"path\":\"/admin/x\",\"user\":\"alice\","
                + "\"rule\":\"rules[1] /admin/** GET\",\"status\":403,\"outcome\":\"insufficient\","
                + "\"reason\":\"missing scopes: admin:site\"}", line);
    }

    @Test
    void absentValuesAreLeftOut() {
        Decision untrusted = new Decision(TIME, "req-2", null, null, null, null, null, null, 403,
                DecisionOutcome.UNTRUSTED_PEER, "this address is not a trusted proxy");
        JsonObject json = parse(new DecisionJson().line(untrusted));
        for (String absent : new String[] {"app", "method", "host", "path", "user", "rule"}) {
            assertFalse(json.containsKey(absent), absent);
        }
        assertEquals("untrusted_peer", json.getString("outcome"));
        assertEquals(403, json.getInt("status"));
    }

    @Test
    void lineBreaksQuotesAndControlsInAValueCannotBreakTheLine() {
        String hostile = "/a\"b\\c\r\nd\te\u0000f\u001b[31mg\u2028h\u2029i\u007f";
        String line = new DecisionJson().line(decision(hostile, "eve\n{\"status\":200}", "x"));
        assertFalse(line.contains("\n") || line.contains("\r") || line.contains("\u2028") || line.contains("\u2029"),
                line);
        assertFalse(line.chars().anyMatch(c -> c < 0x20 || c == 0x7f), line);
        JsonObject json = parse(line);
        assertEquals(hostile, json.getString("path"));
        assertEquals("eve\n{\"status\":200}", json.getString("user"));
        assertEquals(403, json.getInt("status"));
    }

    @Test
    void nonAsciiStaysReadableAndLoneSurrogatesStayVisible() {
        String path = "/caf\u00e9/\ud83d\ude00/\ud800x";
        String line = new DecisionJson().line(decision(path, null, "x"));
        assertTrue(line.contains("/caf\u00e9/\ud83d\ude00/\\ud800x"), line);
        assertEquals(path, parse(line).getString("path"));
    }

    @Test
    void veryLongValuesAreCut() {
        String line = new DecisionJson().line(decision("/" + "a".repeat(10_000), null, "x"));
        String path = parse(line).getString("path");
        assertEquals(DecisionJson.MAX_VALUE + 3, path.length());
        assertTrue(path.endsWith("a..."), path);
    }

    @Test
    void timesAreUtcWithMillisecondsAcrossSecondsAndDays() {
        DecisionJson json = new DecisionJson();
        String[] expected = {"1999-12-31T23:59:59.999Z", "2000-01-01T00:00:00.000Z", "2000-01-01T00:00:00.007Z",
            "2026-03-04T05:06:07.080Z"};
        for (String time : expected) {
            Decision d = new Decision(Instant.parse(time), "r", null, null, null, null, null, null, 200,
                    DecisionOutcome.ANONYMOUS, "x");
            assertEquals(time, parse(json.line(d)).getString("time"));
        }
    }
}
