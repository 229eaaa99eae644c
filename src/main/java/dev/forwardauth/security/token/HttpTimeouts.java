package dev.forwardauth.security.token;

import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import java.time.Duration;
import java.util.Objects;

/**
 * Limits for every call to the identity provider, so that a dead or slow IdP gives a 503, never a hang:
 * {@code idp-connect-timeout} and {@code idp-read-timeout}. The read timeout bounds each read, so a fetch
 * is bounded as a whole by {@link IdpCalls#waitLimit()} for the requests that wait for it.
 */
public record HttpTimeouts(Duration connect, Duration read) {
    /** The configuration's defaults (5 s each), for tests and tools that have no configuration. */
    public static final HttpTimeouts DEFAULT = new HttpTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5));

    // Discovery documents and key sets are a few KB; the cap keeps a hostile endpoint from filling the heap.
    static final int MAX_RESPONSE_BYTES = 256 * 1024;

    public HttpTimeouts {
        requirePositive(connect, "connect");
        requirePositive(read, "read");
    }

    ResourceRetriever retriever() {
        return new DefaultResourceRetriever(connectMillis(), readMillis(), MAX_RESPONSE_BYTES);
    }

    /** For HttpURLConnection-style APIs (pac4j, Nimbus), which take int milliseconds. */
    public int connectMillis() {
        return millis(connect);
    }

    public int readMillis() {
        return millis(read);
    }

    /** The same retriever, each fetch reported to {@code telemetry} as a call of kind {@code call}. */
    public ResourceRetriever retriever(IdpCall call, Telemetry telemetry) {
        ResourceRetriever retriever = retriever();
        return url -> {
            long start = System.nanoTime();
            boolean failed = true;
            try {
                Resource resource = retriever.retrieveResource(url);
                failed = false;
                return resource;
            } finally {
                telemetry.idpCall(call, System.nanoTime() - start, failed);
            }
        };
    }

    private static int millis(Duration timeout) {
        return (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    }

    private static void requirePositive(Duration timeout, String name) {
        Objects.requireNonNull(timeout, name);
        // Zero means "wait forever" to HttpURLConnection, which is exactly what we must never do.
        if (timeout.isNegative() || timeout.toMillis() < 1) {
            throw new IllegalArgumentException(name + " timeout must be at least 1 ms");
        }
    }
}
