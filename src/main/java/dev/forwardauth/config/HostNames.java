package dev.forwardauth.config;

import java.util.Locale;
import java.util.Optional;

/** App names (exact hosts or {@code *.} wildcards) and cookie domains: syntax and normal form. */
final class HostNames {
    private static final int MAX_LENGTH = 253;
    private static final int MAX_LABEL = 63;

    private HostNames() {
    }

    static Optional<String> appNameProblem(String name) {
        String host = name.startsWith("*.") ? name.substring(2) : name;
        if (!isHostName(host)) {
            return Optional.of("must be a host name like app.example.com or a wildcard like *.example.com"
                    + " (only a whole leading \"*.\" label), got \"" + name + "\"");
        }
        return Optional.empty();
    }

    static Optional<String> cookieDomainProblem(String domain) {
        String host = domain.startsWith(".") ? domain.substring(1) : domain;
        if (!isHostName(host)) {
            return Optional.of("must be a domain like example.com, got \"" + domain + "\"");
        }
        return Optional.empty();
    }

    /** Lower case, one trailing dot dropped: the form names are compared in. */
    static String normalise(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    /** A cookie domain without the leading dot browsers ignore anyway (RFC 6265, 5.2.3). */
    static String normaliseCookieDomain(String domain) {
        return normalise(domain.startsWith(".") ? domain.substring(1) : domain);
    }

    /** Whether a cookie for {@code domain} is accepted by browsers on every host {@code appName} covers. */
    static boolean cookieDomainCovers(String domain, String appName) {
        String host = appName.startsWith("*.") ? appName.substring(2) : appName;
        return host.equals(domain) || host.endsWith("." + domain);
    }

    // Letters, digits, '-' and '_' per label: RFC 1123 plus the underscore that container and
    // service names often carry; a label neither starts nor ends with '-'. One trailing dot allowed.
    private static boolean isHostName(String value) {
        String host = value.endsWith(".") ? value.substring(0, value.length() - 1) : value;
        if (host.isEmpty() || host.length() > MAX_LENGTH) {
            return false;
        }
        for (String label : host.split("\\.", -1)) {
            if (!isLabel(label)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLabel(String label) {
        if (label.isEmpty() || label.length() > MAX_LABEL || label.startsWith("-") || label.endsWith("-")) {
            return false;
        }
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
