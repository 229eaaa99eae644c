package dev.forwardauth.config;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonLocation;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the config text strictly, turning the parser's messages into ones a user can act on. The tree is
 * built by {@link JsonTree} from the parser's events, not by Parsson's reader: that reports a duplicate key as
 * a syntax error (hiding every other problem) and turns every number into a BigDecimal (see {@link RawNumber}).
 */
final class JsonText {
    private static final Pattern LOCATION_SUFFIX = Pattern.compile(" at \\(line no=.*?\\)");
    private static final Pattern UNEXPECTED_CHAR = Pattern.compile("Unexpected char (\\d{1,3}(?:,\\d{3})*)");
    private static final Pattern INVALID_TOKEN = Pattern.compile("Invalid token=(\\w+).*?(?:\\[(.*)])?$");
    private static final String TOO_DEEP = "Input is too deeply nested";
    // Parsson's two ways of saying the text ended early: inside a token ("Unexpected char -1", also in a
    // string or after "tru") and between tokens ("Invalid token=EOF"). Its location is wrong for both (line 1,
    // column 27 for a 7-character file), and what it expects is sometimes wrong too ('}' inside an array).
    private static final String END_INSIDE_TOKEN = "Unexpected char -1 ";
    private static final String END_BETWEEN_TOKENS = "Invalid token=EOF ";

    private JsonText() {
    }

    /**
     * The value, or null after reporting against {@code source} why the text is not JSON. Duplicate keys are
     * reported at their own paths and do not stop the parse.
     */
    static JsonValue parse(String text, String source, Problems problems) {
        if (text.isBlank()) {
            problems.add(source, "not valid JSON: the file is empty");
            return null;
        }
        JsonTree tree = new JsonTree(text, problems);
        try (JsonParser parser = Json.createParser(new StringReader(text))) {
            JsonValue value = tree.read(parser);
            // Anything after the top-level value is an error the parser raises when asked for more.
            while (parser.hasNext()) {
                parser.next();
            }
            return value;
        } catch (JsonParsingException e) {
            String message = String.valueOf(e.getMessage());
            if (message.startsWith(END_INSIDE_TOKEN) || message.startsWith(END_BETWEEN_TOKENS)) {
                problems.add(source, "not valid JSON at " + endOfFile(text) + ": "
                        + tree.whatEndedEarly(message.startsWith(END_INSIDE_TOKEN)));
            } else {
                JsonLocation at = e.getLocation();
                problems.add(source, "not valid JSON at line " + at.getLineNumber() + ", column "
                        + at.getColumnNumber() + ": " + explain(e.getMessage()));
            }
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

    /** "line L, column C" of the position just after the last character, counting lines as Parsson does. */
    static String endOfFile(String text) {
        long line = 1;
        int lineStart = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n')) {
                line++;
                lineStart = i + 1;
            }
        }
        return "line " + line + ", column " + (text.length() - lineStart + 1);
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
        if (names.length == 2) {
            return token(names[0].trim()) + " or " + token(names[1].trim());
        }
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
