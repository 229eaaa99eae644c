package dev.forwardauth.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A valid config as a mutable JSON-like tree, changed by path: {@code valid().with("apps[0].scope", "x")}.
 * Each {@code with}/{@code without} returns a changed copy, so fixtures never leak between tests.
 */
final class TestConfigs {
    static final String SECRET = "s3cr3t-session-key-0123456789-abcdef";

    private final Map<String, Object> root;
    private final Map<String, String> env;

    private TestConfigs(Map<String, Object> root, Map<String, String> env) {
        this.root = root;
        this.env = env;
    }

    /** One app, no default, nothing optional. */
    static TestConfigs valid() {
        return new TestConfigs(object(
                "domain", "https://tenant.eu.auth0.com/",
                "session-secret", SECRET,
                "apps", list(app("app.example.com"))), Map.of());
    }

    static Map<String, Object> app(String name) {
        String host = name.startsWith("*.") ? "login." + name.substring(2) : name;
        return object(
                "name", name,
                "client-id", "client-" + host,
                "client-secret", "app-secret-" + host,
                "audience", "https://api.example.com",
                "redirect-uri", "https://" + host + "/oauth2/signin");
    }

    static Map<String, Object> defaults() {
        return object(
                "client-id", "default-client",
                "client-secret", "default-secret",
                "audience", "https://default-api.example.com",
                "redirect-uri", "https://auth.example.com/oauth2/signin");
    }

    static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    static List<Object> list(Object... values) {
        return new ArrayList<>(java.util.Arrays.asList(values));
    }

    /** Sets the value at a path like {@code apps[0].rules[1].methods}; null writes JSON null. */
    TestConfigs with(String path, Object value) {
        Map<String, Object> copy = deepCopy(root);
        JsonPathEditor.set(copy, path, deepCopyValue(value));
        return new TestConfigs(copy, env);
    }

    TestConfigs without(String path) {
        Map<String, Object> copy = deepCopy(root);
        JsonPathEditor.remove(copy, path);
        return new TestConfigs(copy, env);
    }

    TestConfigs env(String name, String value) {
        Map<String, String> copy = new HashMap<>(env);
        copy.put(name, value);
        return new TestConfigs(root, copy);
    }

    String json() {
        return Json.createObjectBuilder(root).build().toString();
    }

    ForwardAuthConfig load() {
        return ConfigLoader.parse(json(), "test.json", env::get);
    }

    List<String> problems() {
        try {
            ForwardAuthConfig config = load();
            return fail("expected problems, but it loaded: " + config);
        } catch (ConfigException e) {
            return e.problems();
        }
    }

    void assertProblems(String... expected) {
        assertEquals(List.of(expected), problems());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> map) {
        return (Map<String, Object>) deepCopyValue(map);
    }

    @SuppressWarnings("unchecked")
    private static Object deepCopyValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put((String) k, deepCopyValue(v)));
            return copy;
        }
        if (value instanceof List<?> values) {
            List<Object> copy = new ArrayList<>();
            values.forEach(v -> copy.add(deepCopyValue(v)));
            return copy;
        }
        return value;
    }
}
