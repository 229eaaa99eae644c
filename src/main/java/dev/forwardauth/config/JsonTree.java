package dev.forwardauth.config;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonLocation;
import jakarta.json.stream.JsonParser;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds the tree of one JSON text from the parser's events, knowing the JSON path of every value as it goes.
 * A duplicate key is a problem at its own path (the first value is kept, so the rest of the file is still
 * checked); numbers stay as written ({@link RawNumber}). Iterative, so the depth is bounded by the parser's
 * own limit, not by the stack.
 */
final class JsonTree {
    private final String text;
    private final Problems problems;
    private final Deque<Container> open = new ArrayDeque<>();

    JsonTree(String text, Problems problems) {
        this.text = text;
        this.problems = problems;
    }

    /** The next complete value of {@code parser}; the parser's exceptions pass through. */
    JsonValue read(JsonParser parser) {
        while (parser.hasNext()) {
            JsonParser.Event event = parser.next();
            JsonValue value;
            switch (event) {
                case START_OBJECT -> {
                    open.push(new Container(childPath(), Json.createObjectBuilder(), null));
                    continue;
                }
                case START_ARRAY -> {
                    open.push(new Container(childPath(), null, Json.createArrayBuilder()));
                    continue;
                }
                case KEY_NAME -> {
                    key(parser.getString(), parser.getLocation());
                    continue;
                }
                case END_OBJECT, END_ARRAY -> value = open.pop().build();
                case VALUE_STRING -> value = Json.createValue(parser.getString());
                case VALUE_NUMBER -> value = new RawNumber(parser.getString());
                case VALUE_TRUE -> value = JsonValue.TRUE;
                case VALUE_FALSE -> value = JsonValue.FALSE;
                default -> value = JsonValue.NULL;
            }
            if (open.isEmpty()) {
                return value;
            }
            open.peek().add(value);
        }
        // The parser raises an exception for a text that ends early; this is for a parser that would not.
        throw new IllegalStateException("the JSON text ended inside a value");
    }

    /**
     * Why a text that ended early is not JSON. {@code insideToken}: it ended within a string, literal or number
     * ({@code "abc}, {@code tru}, {@code 1e}); otherwise between tokens, and what could have come next is
     * worked out from where it stopped (the parser's own list is wrong for arrays).
     */
    String whatEndedEarly(boolean insideToken) {
        if (insideToken) {
            return endsInsideString() ? "unexpected end of file inside a string (a closing '\"' is missing)"
                    : "unexpected end of file";
        }
        Container innermost = open.peek();
        if (innermost == null) {
            return "unexpected end of file";
        }
        char last = lastSignificantCharacter();
        String expected;
        if (innermost.array != null) {
            expected = last == '[' ? "a value or ']'" : last == ',' ? "a value" : "',' or ']'";
        } else if (innermost.key != null) {
            expected = last == ':' ? "a value" : "':'";
        } else {
            expected = last == '{' ? "a string (a key) or '}'" : last == ',' ? "a string (a key)" : "',' or '}'";
        }
        return "unexpected end of file, expected " + expected;
    }

    private void key(String name, JsonLocation end) {
        Container object = open.peek();
        String path = Problems.member(object.path, name);
        String here = keyPosition(end);
        String first = object.keys.putIfAbsent(name, here);
        object.key = name;
        object.duplicate = first != null;
        if (first != null) {
            problems.add(path, "duplicate key at " + here + " (first at " + first + ")");
        }
    }

    // The parser is just past the key's closing quote; its opening quote is the last unescaped one before it,
    // on the same line (a string cannot hold a raw line break). Should the parser ever say otherwise, its own
    // position is near enough.
    private String keyPosition(JsonLocation end) {
        long close = end.getStreamOffset() - 1;
        int start = (int) close - 1;
        if (close < 1 || close >= text.length() || text.charAt((int) close) != '"') {
            return "line " + end.getLineNumber() + ", column " + end.getColumnNumber();
        }
        while (start > 0 && !(text.charAt(start) == '"' && !escaped(start))) {
            start--;
        }
        long column = Math.max(1, end.getColumnNumber() - (close + 1 - start));
        return "line " + end.getLineNumber() + ", column " + column;
    }

    private boolean escaped(int index) {
        int backslashes = 0;
        for (int i = index - 1; i >= 0 && text.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    private String childPath() {
        Container parent = open.peek();
        if (parent == null) {
            return "";
        }
        return parent.array != null ? Problems.element(parent.path, parent.size)
                : Problems.member(parent.path, parent.key);
    }

    private boolean endsInsideString() {
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString && c == '\\') {
                i++;
            } else if (c == '"') {
                inString = !inString;
            }
        }
        return inString;
    }

    private char lastSignificantCharacter() {
        for (int i = text.length() - 1; i >= 0; i--) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return c;
            }
        }
        return ' ';
    }

    /** An object or array being read, with the path of its own value. */
    private static final class Container {
        final String path;
        final JsonObjectBuilder object;
        final JsonArrayBuilder array;
        final Map<String, String> keys = new HashMap<>();
        String key;
        boolean duplicate;
        int size;

        Container(String path, JsonObjectBuilder object, JsonArrayBuilder array) {
            this.path = path;
            this.object = object;
            this.array = array;
        }

        void add(JsonValue value) {
            if (array != null) {
                array.add(value);
                size++;
            } else if (!duplicate) {
                object.add(key, value);
            }
            key = null;
            duplicate = false;
        }

        JsonValue build() {
            return array != null ? array.build() : object.build();
        }
    }
}
