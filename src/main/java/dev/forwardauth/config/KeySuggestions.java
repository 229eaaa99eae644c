package dev.forwardauth.config;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The message for an unknown key: the key the user probably meant, else every allowed key. */
final class KeySuggestions {
    private KeySuggestions() {
    }

    private static final Map<Class<?>, String> PLACES = new LinkedHashMap<>();

    static {
        PLACES.put(ConfigFile.class, "the top level");
        PLACES.put(AppSettings.class, "\"default\" or an app");
        PLACES.put(RuleSettings.class, "a rule");
    }

    /**
     * Also says where a key belongs when it is valid elsewhere: the original's own example put
     * {@code redirect-uri} at the top level, where it was silently ignored.
     */
    static String unknownKey(String key, Class<?> recordType) {
        for (Map.Entry<Class<?>, String> place : PLACES.entrySet()) {
            if (place.getKey() != recordType && ConfigKeys.of(place.getKey()).containsKey(key)) {
                return "unknown key here (it belongs in " + place.getValue() + ")";
            }
        }
        Collection<String> allowed = ConfigKeys.of(recordType).keySet();
        String meant = closest(key, allowed, 2);
        return meant != null
                ? "unknown key (did you mean \"" + meant + "\"?)"
                : "unknown key (allowed: " + String.join(", ", allowed) + ")";
    }

    /**
     * Compares with case and separators ignored, so the camelCase and snake_case spellings of Spring
     * configs land on the kebab-case key, then allows a typo or two; short keys allow only one, or
     * everything would look like everything.
     */
    static String closest(String key, Collection<String> allowed, int maxDistance) {
        String wanted = simplify(key);
        int limit = wanted.length() <= 4 ? Math.min(1, maxDistance) : maxDistance;
        String best = null;
        int bestDistance = limit + 1;
        for (String candidate : allowed) {
            int distance = distance(wanted, simplify(candidate));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static String simplify(String key) {
        return key.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "").replace(" ", "");
    }

    // Levenshtein distance, two rows.
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
