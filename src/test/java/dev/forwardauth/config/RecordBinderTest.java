package dev.forwardauth.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The records bound without JSON-B are exactly those JSON-B bound, for every key there is. */
class RecordBinderTest {
    private static final Map<String, String> ENV = Map.of("SESSION_SECRET", "0123456789abcdef0123456789abcdef-session",
            "DEFAULT_CLIENT_SECRET", "default-secret", "ADMIN_CLIENT_SECRET", "admin-secret");

    @Test
    void bindsACompleteFileAsJsonBDid() throws Exception {
        JsonObject checked = checked(Files.readString(Path.of("src/test/resources/config/full.json")));

        assertEquals(jsonb(checked), RecordBinder.bind(checked, ConfigFile.class));
    }

    @Test
    void bindsAbsentKeysAsNullAndKeepsTheIndexOfABadListElement() throws Exception {
        Problems problems = new Problems();
        JsonObject checked = checked("""
                {"domain": "https://idp.example.com/", "trusted-proxies": ["10.0.0.0/8", 7, "::1"],
                 "apps": [{"name": "a.example.com", "allow-basic": false, "rules": [{"path": "/x"}]}]}
                """, problems);

        ConfigFile bound = RecordBinder.bind(checked, ConfigFile.class);

        assertEquals(1, problems.lines().size(), problems.lines().toString());
        assertEquals(Arrays.asList("10.0.0.0/8", null, "::1"), bound.trustedProxies());
        assertNull(bound.sessionSecret());
        assertNull(bound.defaultApp());
        assertEquals(Boolean.FALSE, bound.apps().get(0).allowBasic());
        assertNull(bound.apps().get(0).rules().get(0).methods());
        assertTrue(jsonb(checked).equals(bound));
    }

    private static JsonObject checked(String text) {
        return checked(text, new Problems());
    }

    private static JsonObject checked(String text, Problems problems) {
        JsonObject parsed = (JsonObject) JsonText.parse(text, "test", problems);
        return new StructureChecker(new EnvSubstitution(ENV::get), problems).check(parsed);
    }

    private static ConfigFile jsonb(JsonObject checked) throws Exception {
        try (Jsonb jsonb = JsonbBuilder.create()) {
            return jsonb.fromJson(checked.toString(), ConfigFile.class);
        }
    }
}
