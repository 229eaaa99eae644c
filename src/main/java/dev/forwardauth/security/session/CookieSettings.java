package dev.forwardauth.security.session;

import java.util.Locale;
import java.util.regex.Pattern;
import org.pac4j.core.context.Cookie;

/**
 * How this request's cookies must be written (SPEC 5): {@code Secure} when the original request was https,
 * and the app's {@code token-cookie-domain} or none (host-only). The web layer knows both only per request
 * (X-Forwarded-Proto, the app selected by host), so it passes them to {@link CookieSessionStore#commit}.
 * Lifetimes are not here on purpose: they come from the configuration, so a cookie can never be told to
 * outlive the expiry sealed inside it.
 */
public record CookieSettings(boolean secure, String domain) {

    // Letters, digits, dots and hyphens only: the domain is pasted into a Set-Cookie header, so anything
    // else (';', CR/LF, spaces) could smuggle attributes or headers.
    private static final Pattern DOMAIN =
            Pattern.compile("\\.?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

    public CookieSettings {
        if (domain != null && domain.isBlank()) {
            domain = null;
        }
        if (domain != null) {
            domain = domain.toLowerCase(Locale.ROOT);
            if (!DOMAIN.matcher(domain).matches()) {
                throw new IllegalArgumentException("invalid cookie domain: " + domain);
            }
        }
    }

    public static CookieSettings hostOnly(boolean secure) {
        return new CookieSettings(secure, null);
    }

    public static CookieSettings forDomain(boolean secure, String domain) {
        return new CookieSettings(secure, domain);
    }

    // SPEC 5: HttpOnly (no script reads a token), SameSite=Lax (sent on the top-level redirect back from
    // the IdP, not on cross-site subrequests), Path=/ (every path of the app and our own routes).
    Cookie cookie(String name, String value, long maxAgeSeconds) {
        Cookie cookie = new Cookie(name, value);
        cookie.setPath("/");
        cookie.setDomain(domain);
        cookie.setSecure(secure);
        cookie.setHttpOnly(true);
        cookie.setSameSitePolicy("Lax");
        cookie.setMaxAge((int) Math.min(Integer.MAX_VALUE, Math.max(0, maxAgeSeconds)));
        return cookie;
    }

    // A browser only removes a cookie set with the same name, Domain and Path.
    Cookie deletion(String name) {
        return cookie(name, "", 0);
    }
}
