package dev.forwardauth.policy;

// Percent-escape helpers shared by the path normaliser and the glob compiler, so both read escapes the same way.
final class Percent {

    static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Percent() {
    }

    // The byte a "%XY" at i stands for, or -1 when it is not a complete escape before end.
    static int decodeAt(CharSequence s, int i, int end) {
        if (i + 2 >= end) {
            return -1;
        }
        int high = hexValue(s.charAt(i + 1));
        int low = hexValue(s.charAt(i + 2));
        return high < 0 || low < 0 ? -1 : high << 4 | low;
    }

    static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }

    // RFC 3986 section 2.3: escaping these never changes meaning, so decoding them is always safe.
    static boolean isUnreserved(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    static boolean isControl(int c) {
        return c < 0x20 || c == 0x7F;
    }

    static String escape(int b) {
        return "%" + HEX[b >> 4] + HEX[b & 0xF];
    }
}
