package dev.forwardauth.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/configuration.md is the one place each key is documented; these tests keep it true. */
class ConfigurationDocsTest {
    private static final Path DOCS = Path.of("docs/configuration.md");
    private static final Pattern KEY_ROW = Pattern.compile("^\\| `([^`]+)` \\|");

    private static String docs() throws Exception {
        return Files.readString(DOCS);
    }

    @Test
    void everyKeyOfTheRecordsIsDocumented() throws Exception {
        String docs = docs();
        Set<String> documented = new LinkedHashSet<>();
        for (String section : List.of("top-level", "app", "rule")) {
            documented.addAll(keysInTable(docs, section));
        }
        List<String> missing = ConfigKeys.all().stream().filter(key -> !documented.contains(key)).toList();
        assertEquals(List.of(), missing, "keys missing from " + DOCS);
        assertEquals(documented, new LinkedHashSet<>(ConfigKeys.all()), "the tables document exactly the keys");
    }

    @Test
    void eachKeyTableListsExactlyTheKeysOfItsRecord() throws Exception {
        String docs = docs();
        assertEquals(ConfigKeys.of(ConfigFile.class).keySet(), keysInTable(docs, "top-level"));
        assertEquals(ConfigKeys.of(AppSettings.class).keySet(), keysInTable(docs, "app"));
        assertEquals(ConfigKeys.of(RuleSettings.class).keySet(), keysInTable(docs, "rule"));
    }

    @Test
    void everyNumberKeyStatesItsRangeAsTheCheckEnforcesIt() throws Exception {
        String docs = docs();
        List<String> numbers = new ArrayList<>();
        for (Class<?> record : List.of(ConfigFile.class, AppSettings.class, RuleSettings.class)) {
            for (ConfigKeys.Key key : ConfigKeys.of(record).values()) {
                if (key.limits() != null) {
                    numbers.add(key.name());
                    String row = docs.lines().filter(line -> line.startsWith("| `" + key.name() + "` |")).findFirst()
                            .orElseThrow();
                    String range = key.limits().min() + " to " + key.limits().max();
                    assertTrue(row.contains(range), key.name() + " should say \"" + range + "\": " + row);
                }
            }
        }
        assertEquals(List.of("idp-connect-timeout", "idp-read-timeout", "idp-max-concurrent-calls", "nonce-max-age",
                "session-max-age"), numbers);
    }

    @Test
    void auth0ExampleIsValid() throws Exception {
        String example = block(docs(), "<!-- example: auth0 -->");
        ForwardAuthConfig config = ConfigLoader.parse(example, "auth0 example", Map.of(
                "FORWARDAUTH_SESSION_SECRET", "0123456789abcdef0123456789abcdef",
                "AUTH0_CLIENT_ID", "id", "AUTH0_CLIENT_SECRET", "secret")::get);
        assertEquals(3, config.apps().size());
        assertTrue(config.defaultApp().isPresent());
    }

    @Test
    void checkConfigSampleOutputIsWhatTheCheckReports() throws Exception {
        String docs = docs();
        String input = block(docs, "<!-- check-config: input -->");
        List<String> expected = block(docs, "<!-- check-config: output -->").lines().toList();
        List<String> actual;
        try {
            ConfigLoader.parse(input, "sample", name -> null);
            actual = List.of();
        } catch (ConfigException e) {
            actual = e.problems();
        }
        assertEquals(String.join("\n", expected), String.join("\n", actual));
    }

    // The rows of the key table that follows "<!-- keys: NAME -->".
    private static Set<String> keysInTable(String docs, String name) {
        String marker = "<!-- keys: " + name + " -->";
        int start = docs.indexOf(marker);
        assertTrue(start >= 0, "no " + marker + " in " + DOCS);
        Set<String> keys = new LinkedHashSet<>();
        List<String> lines = new ArrayList<>(docs.substring(start + marker.length()).strip().lines().toList());
        for (String line : lines) {
            if (!line.startsWith("|")) {
                break;
            }
            Matcher m = KEY_ROW.matcher(line);
            if (m.find()) {
                keys.add(m.group(1));
            }
        }
        return keys;
    }

    // The fenced code block right after a marker.
    private static String block(String docs, String marker) {
        int start = docs.indexOf(marker);
        assertTrue(start >= 0, "no " + marker + " in " + DOCS);
        int open = docs.indexOf("```", start);
        int bodyStart = docs.indexOf('\n', open) + 1;
        int close = docs.indexOf("\n```", bodyStart);
        return docs.substring(bodyStart, close);
    }
}
