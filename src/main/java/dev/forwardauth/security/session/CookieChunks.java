package dev.forwardauth.security.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Splits a sealed value that would not fit one cookie over {@code NAME}, {@code NAME_1}, {@code NAME_2}.
 * Browsers drop a cookie whose name and value pass 4096 bytes, silently, so a session with large tokens would
 * otherwise just not log in. The first cookie of a split value starts with {@code c<count>.}: the reader takes
 * exactly that many parts and ignores stale higher-numbered chunks a lost response may have left behind.
 * The parts are not authenticated one by one; the whole value is, so any swap or edit fails to open.
 */
final class CookieChunks {

    static final int MAX_CHUNK_LENGTH = 3800;
    // ceil(MAX_SEALED_LENGTH / (MAX_CHUNK_LENGTH - 3)): the largest value we accept needs three cookies.
    static final int MAX_CHUNKS = 3;
    private static final String CHUNKED_PREFIX = "c";

    private CookieChunks() {
    }

    static String chunkName(String baseName, int index) {
        return index == 0 ? baseName : baseName + "_" + index;
    }

    static List<String> split(String value) {
        if (value.length() <= MAX_CHUNK_LENGTH) {
            return List.of(value);
        }
        // The count prefix takes room in the first cookie; size parts so every cookie stays under the limit.
        int partLength = MAX_CHUNK_LENGTH - 3;
        int count = (value.length() + partLength - 1) / partLength;
        List<String> parts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            parts.add(value.substring(i * partLength, Math.min(value.length(), (i + 1) * partLength)));
        }
        parts.set(0, CHUNKED_PREFIX + count + "." + parts.get(0));
        return parts;
    }

    /** {@code chunk.apply(i)} gives the value of {@code NAME_i}; empty if any announced part is missing. */
    static Optional<String> join(String first, IntFunction<Optional<String>> chunk) {
        if (!first.startsWith(CHUNKED_PREFIX)) {
            return Optional.of(first);
        }
        int dot = first.indexOf('.');
        if (dot != 2 || first.charAt(1) < '2' || first.charAt(1) > '0' + MAX_CHUNKS) {
            return Optional.empty();
        }
        int count = first.charAt(1) - '0';
        StringBuilder joined = new StringBuilder(first.substring(dot + 1));
        for (int i = 1; i < count; i++) {
            Optional<String> part = chunk.apply(i);
            if (part.isEmpty() || joined.length() + part.get().length() > SessionCrypto.MAX_SEALED_LENGTH) {
                return Optional.empty();
            }
            joined.append(part.get());
        }
        return Optional.of(joined.toString());
    }
}
