package dev.forwardauth.forward;

/** The headers the proxy sends, read from whatever carries them (a servlet request, a test table). */
public interface ForwardedHeaders {
    String METHOD = "X-Forwarded-Method";
    String PROTO = "X-Forwarded-Proto";
    String HOST = "X-Forwarded-Host";
    String URI = "X-Forwarded-Uri";
    String PREFIX = "X-Forwarded-Prefix";

    /**
     * Returned by {@link #value} when a header came more than once. Two values are ambiguous (which one
     * did the upstream see?), so a repeated header is refused rather than guessed at.
     */
    String REPEATED = new String("\0repeated");

    /** The single value sent under {@code name}; null when absent; {@link #REPEATED} when sent twice. */
    String value(String name);
}
