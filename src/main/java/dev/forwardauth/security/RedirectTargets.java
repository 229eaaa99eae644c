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
    private static final int MAX_PORT = 65_535;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

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

    /**
     * A return URL checked: {@code url} is where to send the browser (escaped, see {@link #escapeAfterAuthority}),
     * or {@code problem} says why forwardauth will not (for a 400 page).
     */
    public record Checked(String url, String problem) {
        public boolean safe() {
            return problem == null;
        }

        static Checked refused(String problem) {
            return new Checked(null, problem);
        }
    }

    /** The reason {@code url} is not a safe target, empty when it is one (the tests' view of {@link #check}). */
    Optional<String> problem(String url) {
        return Optional.ofNullable(check(url).problem());
    }

    public Checked check(String url) {
        if (url == null || url.isEmpty()) {
            return Checked.refused("a return URL is required");
        }
        if (url.length() > MAX_LENGTH) {
            return Checked.refused("the return URL is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '\\') {
                return Checked.refused("the return URL contains a space, backslash, control or non-ASCII character");
            }
        }
        String escaped = escapeAfterAuthority(url);
        URI uri;
        try {
            uri = new URI(escaped);
        } catch (URISyntaxException e) {
            return Checked.refused("the return URL is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return Checked.refused("the return URL must be an absolute http or https URL");
        }
        if (uri.isOpaque() || uri.getRawAuthority() == null || uri.getHost() == null) {
            return Checked.refused("the return URL must be an absolute http or https URL");
        }
        if (uri.getRawUserInfo() != null || uri.getRawAuthority().indexOf('@') >= 0) {
            return Checked.refused("the return URL must not contain user information (@)");
        }
        if (uri.getPort() == 0 || uri.getPort() > MAX_PORT) {
            return Checked.refused("the return URL's port " + uri.getPort() + " is not a port (1 to 65535)");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return isAllowedHost(host) ? new Checked(escaped, null)
                : Checked.refused("the return URL's host " + host + " is not a configured app host");
    }

    /**
     * Browsers send some characters raw in a path or query that RFC 3986, and so {@link URI}, wants
     * percent-encoded: {@code | ^ { } ` " < > [ ]}, a {@code %} that starts no escape, a second {@code #}.
     * Refusing them would dead-end the login of an ordinary page ({@code /search?q=a|b}). After the authority
     * they are encoded, which means the same to the server the URL leads to. The authority is left as it is:
     * the host must parse, and be compared, exactly as the browser would read it.
     */
    static String escapeAfterAuthority(String url) {
        int authorityStart = url.indexOf("://");
        if (authorityStart < 0) {
            return url;
        }
        int from = authorityStart + 3;
        while (from < url.length() && "/?#".indexOf(url.charAt(from)) < 0) {
            from++;
        }
        StringBuilder escaped = null;
        boolean inFragment = false;
        for (int i = from; i < url.length(); i++) {
            char c = url.charAt(i);
            boolean escape = switch (c) {
                case '|', '^', '{', '}', '`', '"', '<', '>', '[', ']' -> true;
                case '%' -> !isEscape(url, i);
                case '#' -> inFragment;
                default -> false;
            };
            inFragment |= c == '#';
            if (escape && escaped == null) {
                escaped = new StringBuilder(url.length() + 16).append(url, 0, i);
            }
            if (escape) {
                escaped.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else if (escaped != null) {
                escaped.append(c);
            }
        }
        return escaped == null ? url : escaped.toString();
    }

    private static boolean isEscape(String url, int percent) {
        return percent + 2 < url.length() && Character.digit(url.charAt(percent + 1), 16) >= 0
                && Character.digit(url.charAt(percent + 2), 16) >= 0;
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
