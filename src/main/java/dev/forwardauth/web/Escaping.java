package dev.forwardauth.web;

import java.nio.charset.StandardCharsets;

/** Escaping for the few bodies we write by hand (error pages, error JSON), which echo user input. */
final class Escaping {
    private Escaping() {
    }

    static String html(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c < 0x20 && c != '\n' ? ' ' : c);
            }
        }
        return out.toString();
    }

    /** A JSON string literal, quotes included. */
    static String json(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '<' -> out.append("\\u003c"); // harmless in JSON, defuses it if rendered as HTML
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /**
     * Header values are single-line: CR and LF (and other controls) would split or smuggle headers. Beyond
     * ASCII they go out as UTF-8 bytes, as Go (Traefik, Caddy, oauth2-proxy) and nginx pass them on: the
     * containers write a header value's characters as ISO-8859-1, which would send "é" as the lone byte 0xE9
     * and "日本" as "??". So the UTF-8 bytes are handed over one per character.
     */
    static String headerValue(String s) {
        boolean ascii = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return headerValue(stripControls(s));
            }
            ascii &= c < 0x80;
        }
        return ascii ? s : new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static String stripControls(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\t') {
                out.append(' ');
            } else if (c >= 0x20 && c != 0x7f) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
