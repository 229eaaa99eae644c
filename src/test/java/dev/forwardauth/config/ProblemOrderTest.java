package dev.forwardauth.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Problems come in the order of the file's keys, an object's own problem before those of its members. */
class ProblemOrderTest {

    @Test
    void aParentPathComesBeforeItsChildren() {
        List<String> paths = new ArrayList<>(List.of("apps[0].rules[1].path", "apps[0].rules", "apps[0]", "apps"));
        paths.sort(new PathOrder());
        assertEquals(List.of("apps", "apps[0]", "apps[0].rules", "apps[0].rules[1].path"), paths);
    }

    @Test
    void keysFollowTheRecordsAndIndexesTheirNumbers() {
        List<String> paths = new ArrayList<>(List.of("apps[10].name", "apps[2].audience", "apps[2].name", "domain",
                "session-secret"));
        paths.sort(new PathOrder());
        assertEquals(List.of("domain", "session-secret", "apps[2].name", "apps[2].audience", "apps[10].name"), paths);
    }
}
