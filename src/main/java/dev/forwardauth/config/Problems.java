package dev.forwardauth.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects every problem of one load, keyed by JSON path. Checks go on after a problem so the user sees
 * all of them at once, but one path gets one message: the first is the cause, anything later about the
 * same path (say "required" after a value of the wrong type was dropped) would only be an echo.
 */
final class Problems {
    private final Map<String, String> byPath = new LinkedHashMap<>();

    void add(String path, String message) {
        byPath.putIfAbsent(printable(path), printable(message));
    }

    // A key or value from the file may hold any character JSON can escape; --check-config prints one
    // problem per line, so a newline in a key must not start a line of its own (nor a C0/C1 control
    // character drive the terminal). They are shown as JSON escapes them.
    static String printable(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 || c >= 0x7F && c <= 0x9F || c == '\u2028' || c == '\u2029';
            if (control && out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (control) {
                out.append(String.format("\\u%04X", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    boolean isEmpty() {
        return byPath.isEmpty();
    }

    /** One line per problem, ordered like the keys of the file rather than by which check found it. */
    List<String> lines() {
        List<String> paths = new ArrayList<>(byPath.keySet());
        paths.sort(new PathOrder());
        List<String> lines = new ArrayList<>(paths.size());
        paths.forEach(path -> lines.add(path + ": " + byPath.get(path)));
        return List.copyOf(lines);
    }

    static String member(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    static String element(String parent, int index) {
        return parent + "[" + index + "]";
    }
}
