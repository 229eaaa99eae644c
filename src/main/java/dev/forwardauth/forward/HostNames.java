package dev.forwardauth.forward;

import java.util.Locale;

/**
 * Host header syntax. The original implementation matched the Host with its port against app names, so
 * {@code app.example.com:443} fell through to the default app: the port is always stripped here.
 */
public final class HostNames {
    private HostNames() {
    }

    /**
     * The lower-case host name of a Host value ({@code name[:port]} or {@code [v6]:port}), without port
     * or trailing dot; null when the value is not a valid host.
     */
    public static String hostName(String host) {
        if (host.length() > ForwardedRequestParser.MAX_HOST_LENGTH) {
            return null;
        }
        String name;
        String port;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0) {
                return null;
            }
            name = host.substring(0, close + 1);
            String rest = host.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                return null;
            }
            port = rest.isEmpty() ? null : rest.substring(1);
            if (!isIpv6Literal(name.substring(1, close))) {
                return null;
            }
        } else {
            int colon = host.indexOf(':');
            name = colon < 0 ? host : host.substring(0, colon);
            port = colon < 0 ? null : host.substring(colon + 1);
            if (name.endsWith(".")) {
                name = name.substring(0, name.length() - 1);
            }
            if (!isDnsName(name)) {
                return null;
            }
        }
        if (port != null && !isPort(port)) {
            return null;
        }
        return name.toLowerCase(Locale.ROOT);
    }

    /** Letters, digits, hyphens and underscores in dot-separated labels of 1 to 63 characters. */
    static boolean isDnsName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        int labelLength = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '.') {
                if (labelLength == 0) {
                    return false;
                }
                labelLength = 0;
                continue;
            }
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_';
            if (!ok || ++labelLength > 63) {
                return false;
            }
        }
        return labelLength > 0;
    }

    private static boolean isIpv6Literal(String s) {
        if (s.isEmpty() || s.length() > 45) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
                    || c == ':' || c == '.';
            if (!ok) {
                return false;
            }
        }
        return s.indexOf(':') >= 0;
    }

    private static boolean isPort(String port) {
        if (port.isEmpty() || port.length() > 5) {
            return false;
        }
        for (int i = 0; i < port.length(); i++) {
            if (port.charAt(i) < '0' || port.charAt(i) > '9') {
                return false;
            }
        }
        int value = Integer.parseInt(port);
        return value >= 1 && value <= 65535;
    }
}
