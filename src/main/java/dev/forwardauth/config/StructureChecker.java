package dev.forwardauth.config;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Walks the parsed JSON guided by the raw records, before binding, so that every unknown key and every
 * value of the wrong type is reported with its JSON path (a binder stops at the first and names a Java
 * type). Returns a cleaned copy that binds safely: environment variables substituted, nulls and bad
 * members dropped. A bad list element becomes null instead, so later paths keep their indices.
 */
final class StructureChecker {
    private final EnvSubstitution env;
    private final Problems problems;

    StructureChecker(EnvSubstitution env, Problems problems) {
        this.env = env;
        this.problems = problems;
    }

    JsonObject check(JsonObject root) {
        return object(root, ConfigFile.class, "");
    }

    private JsonObject object(JsonObject object, Class<?> recordType, String path) {
        Map<String, ConfigKeys.Key> keys = ConfigKeys.of(recordType);
        JsonObjectBuilder out = Json.createObjectBuilder();
        for (Map.Entry<String, JsonValue> member : object.entrySet()) {
            String memberPath = Problems.member(path, member.getKey());
            ConfigKeys.Key key = keys.get(member.getKey());
            if (key == null) {
                problems.add(memberPath, KeySuggestions.unknownKey(member.getKey(), recordType));
            } else if (member.getValue().getValueType() != JsonValue.ValueType.NULL) {
                // null is "unset" (YAML turns an empty key into null), so it is simply left out.
                JsonValue checked = value(member.getValue(), key, memberPath);
                if (checked != null) {
                    out.add(member.getKey(), checked);
                }
            }
        }
        return out.build();
    }

    private JsonValue value(JsonValue value, ConfigKeys.Key key, String path) {
        if (key.type() == Long.class) {
            return wholeNumber(value, key.limits(), path);
        }
        return value(value, key.type(), path);
    }

    private JsonValue value(JsonValue value, Type type, String path) {
        if (type instanceof ParameterizedType list && list.getRawType() == List.class) {
            return list(value, list.getActualTypeArguments()[0], path);
        }
        if (type instanceof Class<?> recordType && recordType.isRecord()) {
            return value instanceof JsonObject object ? object(object, recordType, path) : wrongType(value, type, path);
        }
        if (type == String.class) {
            return value instanceof JsonString string
                    ? substituted(string.getString(), path) : wrongType(value, type, path);
        }
        if (type == Boolean.class) {
            return value == JsonValue.TRUE || value == JsonValue.FALSE ? value : wrongType(value, type, path);
        }
        throw new IllegalStateException("a config key of unsupported type " + type);
    }

    private JsonValue list(JsonValue value, Type elementType, String path) {
        if (!(value instanceof JsonArray array)) {
            return wrongType(value, List.class, path);
        }
        JsonArrayBuilder out = Json.createArrayBuilder();
        for (int i = 0; i < array.size(); i++) {
            JsonValue checked = value(array.get(i), elementType, Problems.element(path, i));
            out.add(checked != null ? checked : JsonValue.NULL);
        }
        return out.build();
    }

    private JsonValue substituted(String text, String path) {
        String result = env.apply(text, path, problems);
        return result == null ? null : Json.createValue(result);
    }

    // Read from the number's text (see RawNumber): 1e2 and 5.0 are whole, 1e99999999999 is out of range like
    // 0 or 86401, and the cleaned copy holds the plain long that binds.
    private JsonValue wholeNumber(JsonValue value, Limits limits, String path) {
        if (!(value instanceof JsonNumber number)) {
            return wrongType(value, Long.class, path);
        }
        String text = number.toString();
        NumberText parsed = NumberText.parse(text);
        if (!parsed.isWhole()) {
            problems.add(path, "must be a whole number, got " + NumberText.shown(text));
            return null;
        }
        OptionalLong whole = parsed.longValue();
        if (whole.isEmpty() || whole.getAsLong() < limits.min() || whole.getAsLong() > limits.max()) {
            problems.add(path, "must be from " + limits.min() + " to " + limits.max()
                    + (limits.unit().isEmpty() ? "" : " " + limits.unit()) + ", got " + NumberText.shown(text));
            return null;
        }
        return Json.createValue(whole.getAsLong());
    }

    private JsonValue wrongType(JsonValue value, Type expected, String path) {
        problems.add(path, "must be " + describe(expected) + ", got " + describe(value));
        return null;
    }

    private static String describe(Type expected) {
        if (expected == String.class) {
            return "a string";
        }
        if (expected == Long.class) {
            return "a whole number";
        }
        if (expected == Boolean.class) {
            return "true or false";
        }
        return expected == List.class ? "an array" : "an object";
    }

    static String describe(JsonValue value) {
        return switch (value.getValueType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case TRUE, FALSE -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NULL -> "null";
        };
    }
}
