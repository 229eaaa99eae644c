package dev.forwardauth.reload;

import java.util.Locale;

/**
 * Whether forwardauth follows changes of its config file ({@code forwardauth.reload}). A setting of the
 * deployment, not a key of the file: a file that could switch its own reloading off would need a restart to
 * switch it on again.
 */
public enum ReloadMode {
    /** Watch the file; under {@code java -jar} also reload on SIGHUP. The default. */
    WATCH,
    /** Reload on SIGHUP only (under {@code java -jar}; a servlet container keeps its signals). */
    SIGNAL,
    /** Read the file once, at start-up. */
    OFF;

    public static final String PROPERTY = "forwardauth.reload";
    public static final String ENV = "FORWARDAUTH_RELOAD";

    /** The setting's value; null or blank is the default, {@link #WATCH}. */
    public static ReloadMode parse(String value) {
        if (value == null || value.isBlank()) {
            return WATCH;
        }
        for (ReloadMode mode : values()) {
            if (mode.name().equalsIgnoreCase(value.strip())) {
                return mode;
            }
        }
        throw new IllegalArgumentException(PROPERTY + ": must be one of watch, signal, off, got \"" + value + "\"");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
