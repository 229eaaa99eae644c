package dev.forwardauth.ops;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The request id of a decision: the proxy's {@code X-Request-Id} when it is a plain token (nginx's
 * {@code $request_id}, a UUID, Envoy's ids), so log lines can be joined with the proxy's; else a cheap one
 * made here: a random prefix per start (replicas differ) and a counter.
 */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    static final int MAX_LENGTH = 128;

    private final String prefix;
    private final AtomicLong counter = new AtomicLong();

    public RequestIds() {
        this(randomPrefix());
    }

    RequestIds(String prefix) {
        this.prefix = prefix;
    }

    /** {@code fromProxy} when it is sane, else a new id. */
    public String of(String fromProxy) {
        return isSane(fromProxy) ? fromProxy : prefix + Long.toString(counter.incrementAndGet(), 36);
    }

    /**
     * 1 to 128 characters from a small, log-safe set; anything else (spaces, quotes, controls) is not taken.
     * The length also keeps out a JWT, should a client put one there: even a small one is longer.
     */
    static boolean isSane(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '_' || c == '.' || c == ':' || c == '+' || c == '/' || c == '=' || c == '@';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String randomPrefix() {
        String digits = "0123456789abcdefghijklmnopqrstuv";
        SecureRandom random = new SecureRandom();
        StringBuilder prefix = new StringBuilder(9);
        for (int i = 0; i < 8; i++) {
            prefix.append(digits.charAt(random.nextInt(32)));
        }
        return prefix.append('-').toString();
    }
}
