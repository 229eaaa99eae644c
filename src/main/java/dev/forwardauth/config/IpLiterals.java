package dev.forwardauth.config;

/**
 * Parses and prints IP address literals by hand: InetAddress.getByName would resolve anything that is
 * not a literal through DNS, and a config check must never touch the network.
 */
public final class IpLiterals {
    private IpLiterals() {
    }

    /** 4 or 16 bytes, or null when the text is not an IPv4 or IPv6 literal. */
    public static byte[] parse(String text) {
        return text.indexOf(':') >= 0 ? parseV6(text) : parseV4(text);
    }

    // Dotted decimal only, and no leading zeros: "010" means 8 to some parsers and 10 to others.
    static byte[] parseV4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || part.length() > 1 && part.charAt(0) == '0') {
                return null;
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        return bytes;
    }

    // RFC 4291, 2.2: hex groups, at most one "::", an optional dotted IPv4 tail; no zone ids.
    private static byte[] parseV6(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && (text.indexOf("::", gap + 1) >= 0 || text.lastIndexOf('.', gap) >= 0)) {
            return null; // a second "::", or a dotted IPv4 part that is not at the end
        }
        int[] head = gap < 0 ? groups(text) : groups(text.substring(0, gap));
        int[] tail = gap < 0 ? new int[0] : groups(text.substring(gap + 2));
        if (head == null || tail == null) {
            return null;
        }
        int total = head.length + tail.length;
        if (gap < 0 ? total != 8 : total > 7) {
            return null;
        }
        byte[] bytes = new byte[16];
        for (int i = 0; i < head.length; i++) {
            put(bytes, i, head[i]);
        }
        for (int i = 0; i < tail.length; i++) {
            put(bytes, 8 - tail.length + i, tail[i]);
        }
        return bytes;
    }

    // The 16-bit groups of one side of "::"; a trailing dotted IPv4 counts as two groups.
    private static int[] groups(String side) {
        if (side.isEmpty()) {
            return new int[0];
        }
        String[] parts = side.split(":", -1);
        String last = parts[parts.length - 1];
        byte[] v4 = last.indexOf('.') >= 0 ? parseV4(last) : null;
        if (last.indexOf('.') >= 0 && v4 == null) {
            return null;
        }
        int hexCount = v4 == null ? parts.length : parts.length - 1;
        int[] groups = new int[v4 == null ? hexCount : hexCount + 2];
        for (int i = 0; i < hexCount; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 4 || !part.chars().allMatch(IpLiterals::isHex)) {
                return null;
            }
            groups[i] = Integer.parseInt(part, 16);
        }
        if (v4 != null) {
            groups[hexCount] = (v4[0] & 0xff) << 8 | v4[1] & 0xff;
            groups[hexCount + 1] = (v4[2] & 0xff) << 8 | v4[3] & 0xff;
        }
        return groups;
    }

    private static boolean isHex(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    private static void put(byte[] bytes, int group, int value) {
        bytes[2 * group] = (byte) (value >>> 8);
        bytes[2 * group + 1] = (byte) value;
    }

    static String format(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "."
                    + (address[3] & 0xff);
        }
        return formatV6(address);
    }

    // RFC 5952: lower case, no leading zeros, the longest run (two groups or more) of zeros as "::".
    private static String formatV6(byte[] address) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (address[2 * i] & 0xff) << 8 | address[2 * i + 1] & 0xff;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int length = 0;
            while (i + length < 8 && groups[i + length] == 0) {
                length++;
            }
            if (length > bestLength) {
                bestStart = i;
                bestLength = length;
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
            } else {
                out.append(out.length() == 0 || out.charAt(out.length() - 1) == ':' ? "" : ":");
                out.append(Integer.toHexString(groups[i]));
            }
        }
        return out.toString();
    }
}
