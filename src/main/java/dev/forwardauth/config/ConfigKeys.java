package dev.forwardauth.config;

import jakarta.json.bind.annotation.JsonbProperty;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The keys of the raw config records, read from the records themselves so that binding, checking and the
 * docs test can never disagree about which keys exist or what type they hold.
 */
final class ConfigKeys {
    /** @param limits the range of a number key; null for every other type */
    record Key(String name, Type type, Limits limits) {
    }

    private static final ClassValue<Map<String, Key>> KEYS = new ClassValue<>() {
        @Override
        protected Map<String, Key> computeValue(Class<?> type) {
            Map<String, Key> keys = new LinkedHashMap<>();
            for (RecordComponent component : type.getRecordComponents()) {
                Limits limits = component.getAnnotation(Limits.class);
                // A number without a range would accept values that fail only at run time.
                if (component.getType() == Long.class && limits == null) {
                    throw new IllegalStateException(type.getSimpleName() + "." + component.getName()
                            + " is a number without @Limits");
                }
                keys.put(nameOf(component), new Key(nameOf(component), component.getGenericType(), limits));
            }
            return Collections.unmodifiableMap(keys);
        }
    };

    private ConfigKeys() {
    }

    /** The keys of one record type, in declaration order (the order "allowed: ..." lists them in). */
    static Map<String, Key> of(Class<?> recordType) {
        if (!recordType.isRecord()) {
            throw new IllegalArgumentException(recordType + " is not a record");
        }
        return KEYS.get(recordType);
    }

    /** Every key name reachable from the top level, nested app and rule keys included. */
    static Set<String> all() {
        Set<String> names = new LinkedHashSet<>();
        collect(ConfigFile.class, names);
        return Collections.unmodifiableSet(names);
    }

    /** The record type a key holds, directly or as list elements; null for scalars. */
    static Class<?> nestedRecord(Type type) {
        Type inner = type instanceof ParameterizedType list ? list.getActualTypeArguments()[0] : type;
        return inner instanceof Class<?> c && c.isRecord() ? c : null;
    }

    private static void collect(Class<?> recordType, Set<String> names) {
        for (Key key : of(recordType).values()) {
            names.add(key.name());
            Class<?> nested = nestedRecord(key.type());
            if (nested != null) {
                collect(nested, names);
            }
        }
    }

    // @JsonbProperty cannot target a record component; javac propagates it to the accessor (and field),
    // which is also where Yasson reads it.
    private static String nameOf(RecordComponent component) {
        JsonbProperty property = component.getAccessor().getAnnotation(JsonbProperty.class);
        return property != null && !property.value().isEmpty() ? property.value() : component.getName();
    }
}
