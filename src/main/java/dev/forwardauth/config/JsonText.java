package dev.forwardauth.config;

import jakarta.json.Json;
import jakarta.json.JsonConfig;
import jakarta.json.JsonException;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonLocation;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the config text strictly, turning the parser's messages into ones a user can act on. */
final class JsonText {
    private static final Map<String, ?> REJECT_DUPLICATE_KEYS =
            Map.of(JsonConfig.KEY_STRATEGY, JsonConfig.KeyStrategy.NONE);
    private static final Pattern LOCATION_SUFFIX = Pattern.compile(" at \\(line no=.*?\\)");
    private static final Pattern UNEXPECTED_CHAR = Pattern.compile("Unexpected char (\\d{1,3}(?:,\\d{3})*)");
    private static final Pattern INVALID_TOKEN = Pattern.compile("Invalid token=(\\w+).*?(?:\\[(.*)])?$");
    private static final Pattern DUPLICATE_KEY = Pattern.compile("Duplicate key '(.*)' is not allowed");
    private static final String TOO_DEEP = "Input is too deeply nested";

    private JsonText() {
    }

    /** The value, or null after reporting against {@code source} why the text is not JSON. */
    static JsonValue parse(String text, String source, Problems problems) {
        if (text.isBlank()) {
            problems.add(source, "not valid JSON: the file is empty");
            return null;
        }
        try {
            // Two passes: the streaming parser rejects trailing content after the value (the reader
            // ignores it); the reader rejects duplicate keys (the parser keeps the last, silently).
            requireSingleValue(text);
            try (JsonReader reader = Json.createReaderFactory(REJECT_DUPLICATE_KEYS)
                    .createReader(new StringReader(text))) {
                return reader.readValue();
            }
        } catch (JsonParsingException e) {
            JsonLocation at = e.getLocation();
            problems.add(source, "not valid JSON at line " + at.getLineNumber() + ", column "
                    + at.getColumnNumber() + ": " + explain(e.getMessage()));
        } catch (JsonException e) {
            problems.add(source, "not valid JSON: " + explain(e.getMessage()));
        } catch (RuntimeException e) {
            // Parsson refuses nesting beyond 1000 levels with a bare RuntimeException; whatever else the
            // parser may throw on hostile bytes, it is still "not JSON we can read" and never a crash.
            problems.add(source, "not valid JSON: " + (String.valueOf(e.getMessage()).startsWith(TOO_DEEP)
                    ? "nested more than 1000 levels deep" : "the parser gave up (" + e.getClass().getSimpleName() + ")"));
        }
        return null;
    }

    private static void requireSingleValue(String text) {
        try (JsonParser parser = Json.createParser(new StringReader(text))) {
            while (parser.hasNext()) {
                parser.next();
            }
        }
    }

    static String explain(String parserMessage) {
        String message = LOCATION_SUFFIX.matcher(parserMessage == null ? "" : parserMessage).replaceAll("");
        Matcher m = UNEXPECTED_CHAR.matcher(message);
        if (m.lookingAt()) {
            int codePoint = Integer.parseInt(m.group(1).replace(",", ""));
            return "unexpected character " + quoteChar(codePoint) + message.substring(m.end());
        }
        m = INVALID_TOKEN.matcher(message);
        if (m.lookingAt()) {
            String found = token(m.group(1));
            return m.group(2) == null ? "unexpected " + found
                    : "unexpected " + found + ", expected " + tokens(m.group(2));
        }
        m = DUPLICATE_KEY.matcher(message);
        if (m.matches()) {
            return "duplicate key \"" + m.group(1) + "\"";
        }
        if (message.startsWith("Expected EOF token, but got ")) {
            return "unexpected " + token(message.substring("Expected EOF token, but got ".length()))
                    + " after the end of the top-level value";
        }
        return message;
    }

    private static String quoteChar(int codePoint) {
        return Character.isISOControl(codePoint) || Character.isWhitespace(codePoint)
                ? String.format("U+%04X", codePoint)
                : "'" + new String(Character.toChars(codePoint)) + "'";
    }

    private static String tokens(String list) {
        String[] names = list.split(",\\s*");
        StringBuilder out = new StringBuilder(names.length > 1 ? "one of " : "");
        for (int i = 0; i < names.length; i++) {
            out.append(i == 0 ? "" : ", ").append(token(names[i].trim()));
        }
        return out.toString();
    }

    private static String token(String name) {
        return switch (name) {
            case "CURLYOPEN" -> "'{'";
            case "CURLYCLOSE" -> "'}'";
            case "SQUAREOPEN" -> "'['";
            case "SQUARECLOSE" -> "']'";
            case "COLON" -> "':'";
            case "COMMA" -> "','";
            case "STRING" -> "string";
            case "NUMBER" -> "number";
            case "TRUE" -> "true";
            case "FALSE" -> "false";
            case "NULL" -> "null";
            case "EOF" -> "end of file";
            default -> name;
        };
    }
}
