package dev.forwardauth.ops;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * A {@link Decision} as one line of JSON (without the line end). Every value is escaped, so a CR, LF or quote
 * in a path cannot end the line or forge a field; absent values are left out. Very long values are cut, so one
 * request cannot make a line too long for a log shipper. One instance per writing thread: it remembers the
 * last second it formatted, which most lines share.
 */
public final class DecisionJson {
    /** Longest value written, in characters; the rest becomes {@code ...}. */
    static final int MAX_VALUE = 2048;

    private long formattedSecond = Long.MIN_VALUE;
    private String formattedPrefix;

    public String line(Decision decision) {
        StringBuilder out = new StringBuilder(256);
        append(out, decision);
        return out.toString();
    }

    public void append(StringBuilder out, Decision d) {
        out.append("{\"time\":\"");
        time(out, d.time());
        out.append('"');
        field(out, "request_id", d.requestId());
        field(out, "app", d.app());
        field(out, "method", d.method());
        field(out, "host", d.host());
        field(out, "path", d.path());
        field(out, "user", d.user());
        field(out, "rule", d.rule());
        out.append(",\"status\":").append(d.status());
        field(out, "outcome", d.outcome().label());
        field(out, "reason", d.reason());
        out.append('}');
    }

    // ISO 8601 in UTC with milliseconds, e.g. 2026-11-27T09:14:03.512Z.
    private void time(StringBuilder out, Instant time) {
        long second = time.getEpochSecond();
        if (second != formattedSecond) {
            LocalDateTime t = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
            StringBuilder prefix = new StringBuilder(20);
            pad(prefix, t.getYear(), 4).append('-');
            pad(prefix, t.getMonthValue(), 2).append('-');
            pad(prefix, t.getDayOfMonth(), 2).append('T');
            pad(prefix, t.getHour(), 2).append(':');
            pad(prefix, t.getMinute(), 2).append(':');
            pad(prefix, t.getSecond(), 2).append('.');
            formattedPrefix = prefix.toString();
            formattedSecond = second;
        }
        int millis = time.getNano() / 1_000_000;
        out.append(formattedPrefix).append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10))
                .append((char) ('0' + millis % 10)).append('Z');
    }

    private static StringBuilder pad(StringBuilder out, int value, int digits) {
        String text = Integer.toString(value);
        for (int i = text.length(); i < digits; i++) {
            out.append('0');
        }
        return out.append(text);
    }

    private static void field(StringBuilder out, String name, String value) {
        if (value == null) {
            return;
        }
        out.append(",\"").append(name).append("\":");
        string(out, value);
    }

    /** A JSON string literal, quotes included. */
    static void string(StringBuilder out, String value) {
        int end = value.length();
        boolean cut = end > MAX_VALUE;
        if (cut) {
            end = MAX_VALUE;
            if (Character.isHighSurrogate(value.charAt(end - 1))) {
                end--; // never split a pair
            }
        }
        out.append('"');
        int plain = 0;
        while (plain < end && isPlain(value.charAt(plain))) {
            plain++;
        }
        if (plain == value.length()) {
            out.append(value).append('"'); // most values need no escaping: one copy
            return;
        }
        out.append(value, 0, plain);
        for (int i = plain; i < end; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029) {
                        unicode(out, c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < end
                            && Character.isLowSurrogate(value.charAt(i + 1))) {
                        out.append(c).append(value.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        unicode(out, c); // a lone half would become '?' in UTF-8; keep it visible
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (cut) {
            out.append("...");
        }
        out.append('"');
    }

    private static boolean isPlain(char c) {
        return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
    }

    private static void unicode(StringBuilder out, char c) {
        String hex = Integer.toHexString(c);
        out.append("\\u");
        for (int i = hex.length(); i < 4; i++) {
            out.append('0');
        }
        out.append(hex);
    }
}
