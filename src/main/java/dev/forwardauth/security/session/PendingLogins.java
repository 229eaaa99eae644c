package dev.forwardauth.security.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.pac4j.core.context.Cookie;

/**
 * Pending-login cookies, one per login under way, named from its state ({@code FORWARDAUTH_LOGIN_} + 16
 * characters of base64url(SHA-256(state))), so logins started in several tabs at once do not overwrite each
 * other and the callback finds its own by the {@code state} it carries.
 */
final class PendingLogins {

    static final String PREFIX = IncomingCookies.PREFIX + "_LOGIN_";
    // Enough for a few tabs; a browser (or a script hammering /authorize) cannot pile up cookies until its
    // Cookie header passes the proxy's limit and every request fails.
    static final int MAX_PENDING = 5;
    // The browser keeps the cookie this much longer than the login is valid, so a late callback can be told
    // "your login expired, start again" rather than "unknown login".
    static final Duration EXPIRED_GRACE = Duration.ofMinutes(10);
    private static final int NAME_HASH_LENGTH = 16;

    private final SessionCrypto crypto;
    private final Duration nonceMaxAge;

    PendingLogins(SessionCrypto crypto, Duration nonceMaxAge) {
        this.crypto = crypto;
        this.nonceMaxAge = nonceMaxAge;
    }

    static String cookieName(String state) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(state.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(hash).substring(0, NAME_HASH_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    Instant expiryFor(Instant startedAt) {
        return startedAt.plus(nonceMaxAge);
    }

    /** The login this state started, expired or not; empty if the browser has no such cookie we sealed. */
    Optional<PendingLoginData> find(IncomingCookies incoming, String state) {
        if (state == null || state.isEmpty()) {
            return Optional.empty();
        }
        String name = cookieName(state);
        byte[] expected = state.getBytes(StandardCharsets.UTF_8);
        for (String value : incoming.values(name)) {
            Optional<PendingLoginData> data = crypto.open(name, value)
                    .flatMap(PendingLoginData::fromBytes)
                    // The name holds only 96 bits of the state's hash; the sealed state must match it exactly.
                    .filter(d -> MessageDigest.isEqual(expected, d.state().getBytes(StandardCharsets.UTF_8)));
            if (data.isPresent()) {
                return data;
            }
        }
        return Optional.empty();
    }

    /** The new login's cookie, plus deletions that keep the browser at {@link #MAX_PENDING} logins. */
    List<Cookie> write(PendingLoginData data, IncomingCookies incoming, Set<String> deleted, CookieSettings settings) {
        String name = cookieName(data.state());
        String sealed = crypto.seal(name, data.toBytes());
        // A browser drops a cookie over 4096 bytes without a word, and the callback would then find no login.
        // A long return URL is what makes one that large (dashboards keep their state in the query): rather
        // than fail the login, it returns to the page without its query, or else to the site's root.
        for (String shorter : shorterReturnUrls(data.requestedUrl())) {
            if (sealed.length() <= CookieChunks.MAX_CHUNK_LENGTH) {
                break;
            }
            data = data.withRequestedUrl(shorter);
            sealed = crypto.seal(name, data.toBytes());
        }
        List<Cookie> cookies = new ArrayList<>();
        cookies.add(settings.cookie(name, sealed, nonceMaxAge.plus(EXPIRED_GRACE).getSeconds()));
        Set<String> others = incoming.namesStartingWith(PREFIX);
        others.removeAll(deleted);
        others.remove(name);
        int excess = others.size() - (MAX_PENDING - 1);
        if (excess > 0) {
            evictionOrder(incoming, others).stream().limit(excess).forEach(old -> cookies.add(settings.deletion(old)));
        }
        return cookies;
    }

    /** {@code url} without its query (and fragment), then its origin with a "/"; none for a URL without a host. */
    static List<String> shorterReturnUrls(String url) {
        int authority = url == null ? -1 : url.indexOf("://");
        if (authority < 0) {
            return List.of();
        }
        int path = url.indexOf('/', authority + 3);
        String origin = path < 0 ? url : url.substring(0, path);
        int query = url.length();
        for (char end : new char[] {'?', '#'}) {
            int at = url.indexOf(end, authority + 3);
            if (at >= 0 && at < query) {
                query = at;
            }
        }
        return List.of(url.substring(0, query), origin + "/");
    }

    // Oldest first; cookies we cannot open (another key, damaged) are older than any.
    private List<String> evictionOrder(IncomingCookies incoming, Set<String> names) {
        Map<String, Instant> startedAt = names.stream().collect(Collectors.toMap(name -> name, name -> incoming.first(name)
                .flatMap(value -> crypto.open(name, value))
                .flatMap(PendingLoginData::fromBytes)
                .map(PendingLoginData::startedAt)
                .orElse(Instant.MIN)));
        return names.stream().sorted(Comparator.comparing(startedAt::get)).collect(Collectors.toList());
    }
}
