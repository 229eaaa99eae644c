package dev.forwardauth.config;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Binds the JSON that {@link StructureChecker} let through to the raw records, through their canonical
 * constructors: every key is known, every value has its component's type, so binding is a plain walk over
 * {@link ConfigKeys}. This used to be JSON-B, whose runtime (some 200 classes loaded and every record
 * introspected) cost a third of forwardauth's start-up, paid twice: in the launcher's check and in the webapp.
 */
final class RecordBinder {
    private RecordBinder() {
    }

    static <T> T bind(JsonObject object, Class<T> recordType) {
        RecordComponent[] components = recordType.getRecordComponents();
        Map<String, ConfigKeys.Key> keys = ConfigKeys.of(recordType);
        Class<?>[] types = new Class<?>[components.length];
        Object[] values = new Object[components.length];
        int i = 0;
        // ConfigKeys lists a record's keys in component order.
        for (ConfigKeys.Key key : keys.values()) {
            types[i] = components[i].getType();
            JsonValue value = object.get(key.name());
            values[i] = value == null ? null : value(value, key.type());
            i++;
        }
        try {
            Constructor<T> canonical = recordType.getDeclaredConstructor(types);
            return canonical.newInstance(values);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("cannot bind " + recordType.getSimpleName() + ": " + e.getCause(), e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot bind " + recordType.getSimpleName(), e);
        }
    }

    private static Object value(JsonValue value, Type type) {
        if (value.getValueType() == JsonValue.ValueType.NULL) {
            return null; // a bad list element, already reported: its index stays in place
        }
        if (type instanceof ParameterizedType list && list.getRawType() == List.class) {
            Type elementType = list.getActualTypeArguments()[0];
            List<Object> elements = new ArrayList<>();
            for (JsonValue element : (JsonArray) value) {
                elements.add(value(element, elementType));
            }
            return elements;
        }
        if (type instanceof Class<?> recordType && recordType.isRecord()) {
            return bind((JsonObject) value, recordType);
        }
        if (type == String.class) {
            return ((JsonString) value).getString();
        }
        if (type == Long.class) {
            return ((JsonNumber) value).longValueExact();
        }
        if (type == Boolean.class) {
            return value == JsonValue.TRUE;
        }
        throw new IllegalStateException("a config key of unsupported type " + type);
    }
}
