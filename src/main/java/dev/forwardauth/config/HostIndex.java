package dev.forwardauth.config;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Picks the app for an X-Forwarded-Host value on every request, so everything is precomputed: exact
 * names in one map, wildcards in another keyed by the part after "*.". Trying the host's suffixes from
 * the longest down finds the most specific wildcard without sorting or regular expressions.
 */
final class HostIndex {
    private final Map<String, AppConfig> exact = new HashMap<>();
    private final Map<String, AppConfig> wildcards = new HashMap<>();
    private final Optional<AppConfig> fallback;

    HostIndex(Optional<AppConfig> defaultApp, List<AppConfig> apps) {
        this.fallback = defaultApp;
        for (AppConfig app : apps) {
            String name = HostNames.normalise(Objects.requireNonNull(app.name(), "every app in apps needs a name"));
            if (name.startsWith("*.")) {
                wildcards.putIfAbsent(name.substring(2), app);
            } else {
                exact.putIfAbsent(name, app);
            }
        }
    }

    /** Exact name, else the longest matching wildcard, else default; empty when nothing applies. */
    Optional<AppConfig> appFor(String forwardedHost) {
        String host = hostOf(forwardedHost);
        if (host == null) {
            return Optional.empty();
        }
        AppConfig app = exact.get(host);
        // A wildcard stands for at least one whole label: start after the first character.
        for (int dot = host.indexOf('.', 1); app == null && dot >= 0; dot = host.indexOf('.', dot + 1)) {
            app = wildcards.get(host.substring(dot + 1));
        }
        return app != null ? Optional.of(app) : fallback;
    }

    /** The host of a Host-style value: port dropped (also after "[v6]"), one trailing dot dropped, lower case. */
    static String hostOf(String value) {
        if (value == null) {
            return null;
        }
        String host = value.trim();
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            host = end < 0 ? host : host.substring(0, end + 1);
        } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
            host = host.substring(0, host.indexOf(':'));
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return host.toLowerCase(Locale.ROOT);
    }
}
