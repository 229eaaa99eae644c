package dev.forwardauth.security.token;

import java.time.Instant;
import java.util.List;

/**
 * What the last fetches of the IdP's key set gave, for the status page: the key ids of the last good fetch
 * and when it happened, and the last failure if it came after that. Key ids only: an operator matches a
 * token's {@code kid} against them; the keys themselves say nothing more on a page.
 */
public record KeySetStatus(List<String> keyIds, Instant fetchedAt, String lastError, Instant lastErrorAt) {
    public static final KeySetStatus NOT_FETCHED = new KeySetStatus(List.of(), null, null, null);

    public KeySetStatus {
        keyIds = List.copyOf(keyIds);
    }

    KeySetStatus fetched(List<String> ids, Instant at) {
        return new KeySetStatus(ids, at, null, null);
    }

    KeySetStatus failed(String error, Instant at) {
        return new KeySetStatus(keyIds, fetchedAt, error, at);
    }
}
