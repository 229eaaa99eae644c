package dev.forwardauth.security.token;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Sits directly on the HTTP fetch of the key set, under Nimbus's caches, so it sees each real fetch (a few
 * per hour), never a request that the cache answered: remembering its result costs the hot path nothing.
 */
final class KeyFetchRecorder implements JWKSetSource<SecurityContext> {
    private final JWKSetSource<SecurityContext> fetch;
    private final Clock clock;
    private volatile KeySetStatus status = KeySetStatus.NOT_FETCHED;

    KeyFetchRecorder(JWKSetSource<SecurityContext> fetch, Clock clock) {
        this.fetch = fetch;
        this.clock = clock;
    }

    @Override
    public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator evaluator, long currentTime, SecurityContext context)
            throws KeySourceException {
        try {
            JWKSet keys = fetch.getJWKSet(evaluator, currentTime, context);
            status = status.fetched(keyIds(keys), clock.instant());
            return keys;
        } catch (KeySourceException | RuntimeException e) {
            status = status.failed(IdpMetadataLoader.describe(e), clock.instant());
            throw e;
        }
    }

    KeySetStatus status() {
        return status;
    }

    private static List<String> keyIds(JWKSet keys) {
        List<String> ids = new ArrayList<>();
        for (JWK key : keys.getKeys()) {
            ids.add(key.getKeyID() == null ? "(no kid)" : key.getKeyID());
        }
        return ids;
    }

    @Override
    public void close() throws IOException {
        fetch.close();
    }
}
