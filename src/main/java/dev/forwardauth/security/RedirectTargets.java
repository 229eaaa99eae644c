package dev.forwardauth.security;

import dev.forwardauth.config.AppConfig;
import dev.forwardauth.config.ForwardAuthConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where forwardauth may send a browser: /start's {@code rd} and the return after login. Only absolute
 * http(s) URLs whose host is configured: an app's name (exact or wildcard, the default app's too when it
 * has one), the host of an app's {@code redirect-uri}, or a host under a {@code token-cookie-domain}. A
 * host that the {@code default} app would merely serve is not enough, or any Host header could become a
 * redirect target. Strict parsing first: the classic open-redirect tricks
 * ({@code //evil}, {@code /\evil}, {@code https:evil}, {@code user@evil}, tabs and newlines that browsers
 * strip, non-ASCII look-alikes) are refused before a host is even compared.
 */
public final class RedirectTargets {
    static final int MAX_LENGTH = 4096;

    private final Set<String> exactHosts = new HashSet<>();
    private final Set<String> wildcardSuffixes = new HashSet<>();
    private final Set<String> cookieDomains = new HashSet<>();

    public RedirectTargets(ForwardAuthConfig config) {
        config.defaultApp().ifPresent(this::add);
        config.apps().forEach(this::add);
    }

    private void add(AppConfig app) {
        if (app.name() != null && app.name().startsWith("*.")) {
            wildcardSuffixes.add(app.name().substring(1));
        } else if (app.name() != null) {
            exactHosts.add(app.name());
        }
        exactHosts.add(app.redirectUri().getHost().toLowerCase(Locale.ROOT));
        if (app.tokenCookieDomain() != null) {
            cookieDomains.add(app.tokenCookieDomain());
        }
    }

    /** The URL itself when it is a safe target, else the reason it is not (for a 400 page). */
    public Optional<String> problem(String url) {
        if (url == null || url.isEmpty()) {
            return Optional.of("a return URL is required");
        }
        if (url.length() > MAX_LENGTH) {
            return Optional.of("the return URL is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '\\') {
                return Optional.of("the return URL contains a space, backslash, control or non-ASCII character");
            }
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("the return URL is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return Optional.of("the return URL must be an absolute http or https URL");
        }
        if (uri.isOpaque() || uri.getRawAuthority() == null || uri.getHost() == null) {
            return Optional.of("the return URL must be an absolute http or https URL");
        }
        if (uri.getRawUserInfo() != null || uri.getRawAuthority().indexOf('@') >= 0) {
            return Optional.of("the return URL must not contain user information (@)");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return isAllowedHost(host) ? Optional.empty()
                : Optional.of("the return URL's host " + host + " is not a configured app host");
    }

    boolean isAllowedHost(String host) {
        if (exactHosts.contains(host)) {
            return true;
        }
        for (int dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
            if (wildcardSuffixes.contains(host.substring(dot))) {
                return true;
            }
        }
        for (String domain : cookieDomains) {
            if (host.equals(domain) || host.endsWith("." + domain)) {
                return true;
            }
        }
        return false;
    }
}
