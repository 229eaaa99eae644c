package dev.forwardauth.security.session;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.pac4j.core.context.Cookie;

/**
 * The session cookie {@code FORWARDAUTH} (and its chunks {@code FORWARDAUTH_1}, {@code FORWARDAUTH_2} when
 * the tokens are too large for one cookie): reading it into {@link SessionData}, writing it back.
 */
final class SessionCookies {

    static final String NAME = IncomingCookies.PREFIX;

    private final SessionCrypto crypto;

    SessionCookies(SessionCrypto crypto) {
        this.crypto = crypto;
    }

    /**
     * The sealed values the browser sent, each as one string (chunks joined); a value whose announced chunks
     * are missing is left out. Several: a host-only cookie and one for the parent domain, left from an older
     * configuration.
     */
    List<String> sealedValues(IncomingCookies incoming) {
        List<String> sealed = new ArrayList<>(1);
        for (String first : incoming.values(NAME)) {
            CookieChunks.join(first, i -> incoming.first(CookieChunks.chunkName(NAME, i))).ifPresent(sealed::add);
        }
        return sealed;
    }

    /** What a sealed value carries; empty when it is altered, foreign or malformed (expired or not). */
    Optional<SessionData> open(String sealed) {
        return crypto.open(NAME, sealed).flatMap(SessionData::fromBytes);
    }

    boolean present(IncomingCookies incoming) {
        return !incoming.values(NAME).isEmpty();
    }

    /** The cookies that carry {@code data}, and deletions for chunks the browser has beyond them. */
    List<Cookie> write(SessionData data, IncomingCookies incoming, CookieSettings settings, Instant now) {
        byte[] plaintext = data.toBytes();
        int length = SessionCrypto.sealedLength(plaintext.length);
        if (length > SessionCrypto.MAX_SEALED_LENGTH) {
            // Before sealing, to say what the operator needs to know: how large, and how large it may be.
            throw SessionNotWrittenException.tooLarge(length, SessionCrypto.MAX_SEALED_LENGTH);
        }
        // The whole value is sealed under the base name, so chunks only make sense reassembled in order.
        List<String> parts = CookieChunks.split(crypto.seal(NAME, plaintext));
        long maxAge = Math.max(1, Duration.between(now, data.expiresAt()).getSeconds());
        List<Cookie> cookies = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            cookies.add(settings.cookie(CookieChunks.chunkName(NAME, i), parts.get(i), maxAge));
        }
        for (int i = parts.size(); i <= CookieChunks.MAX_CHUNKS; i++) {
            String stale = CookieChunks.chunkName(NAME, i);
            if (!incoming.values(stale).isEmpty()) {
                cookies.add(settings.deletion(stale));
            }
        }
        return cookies;
    }

    /** Deletes the session cookie and every chunk it may have, in the scope of {@code settings}. */
    List<Cookie> deleteAll(CookieSettings settings) {
        List<Cookie> cookies = new ArrayList<>();
        for (int i = 0; i < CookieChunks.MAX_CHUNKS; i++) {
            cookies.add(settings.deletion(CookieChunks.chunkName(NAME, i)));
        }
        return cookies;
    }

    /** Deletes the session cookie, and every chunk the browser sent. */
    List<Cookie> delete(IncomingCookies incoming, CookieSettings settings) {
        List<Cookie> cookies = new ArrayList<>();
        cookies.add(settings.deletion(NAME));
        for (int i = 1; i <= CookieChunks.MAX_CHUNKS; i++) {
            String chunk = CookieChunks.chunkName(NAME, i);
            if (!incoming.values(chunk).isEmpty()) {
                cookies.add(settings.deletion(chunk));
            }
        }
        return cookies;
    }
}
