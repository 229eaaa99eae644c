package dev.forwardauth.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemsTest {

    @Test
    void linesFollowTheKeyOrderOfTheRecordsAndListIndicesNumerically() {
        Problems problems = new Problems();
        problems.add("apps[10].name", "a");
        problems.add("apps[2].rules[0].path", "b");
        problems.add("apps[2].client-id", "c");
        problems.add("zzz", "d");
        problems.add("session-secret", "e");
        problems.add("domain", "f");
        problems.add("apps[2].name", "g");
        assertEquals(List.of("domain: f", "session-secret: e", "apps[2].name: g", "apps[2].client-id: c",
                "apps[2].rules[0].path: b", "apps[10].name: a", "zzz: d"), problems.lines());
    }

    @Test
    void onePathKeepsItsFirstMessage() {
        Problems problems = new Problems();
        problems.add("apps[0].client-id", "must be a string, got a number");
        problems.add("apps[0].client-id", "required");
        assertEquals(List.of("apps[0].client-id: must be a string, got a number"), problems.lines());
    }

    @Test
    void parserMessagesAreRewordedForPeople() {
        assertEquals("unexpected character 'x'",
                JsonText.explain("Unexpected char 120 at (line no=1, column no=8, offset=7)"));
        assertEquals("unexpected character '}', expecting 'e'",
                JsonText.explain("Unexpected char 125 at (line no=2, column no=10, offset=17), expecting 'e'"));
        assertEquals("unexpected end of file, expected one of '{', '[', string, number, true, false, null",
                JsonText.explain("Invalid token=EOF at (line no=1, column no=0, offset=-1). Expected tokens are:"
                        + " [CURLYOPEN, SQUAREOPEN, STRING, NUMBER, TRUE, FALSE, NULL]"));
    }
}
