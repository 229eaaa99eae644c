package dev.forwardauth.reload;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGHUP as "reload the config", the Unix convention (nginx, HAProxy, sshd). Only where forwardauth owns the
 * process, i.e. under {@code java -jar}: a signal handler is process-wide, one per signal, so a webapp in
 * Tomcat or a Jetty base that took SIGHUP would change what the container's operators expect of it (the
 * JVM's default is an orderly shutdown) and fight any other webapp doing the same. {@code sun.misc.Signal}
 * (module jdk.unsupported) is the only way the JDK offers; javac warns about it, on purpose.
 */
final class HangupSignal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HangupSignal.class);

    private final Signal signal;
    private final SignalHandler previous;

    private HangupSignal(Signal signal, SignalHandler previous) {
        this.signal = signal;
        this.previous = previous;
    }

    /** Runs {@code onHangup} on every SIGHUP until closed; empty where the platform has no SIGHUP for us. */
    static Optional<HangupSignal> install(Runnable onHangup) {
        Signal hangup;
        SignalHandler previous;
        try {
            hangup = new Signal("HUP");
            previous = Signal.handle(hangup, received -> onHangup.run());
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            // No SIGHUP (Windows), or the JVM keeps it (-Xrs): the file watch still works.
            LOG.info("config reload: SIGHUP is not available here ({}); reload by changing the file", e.getMessage());
            return Optional.empty();
        }
        if (previous == SignalHandler.SIG_IGN) {
            // Started with SIGHUP ignored (nohup): the JVM does not install a handler for an ignored signal.
            LOG.warn("config reload: SIGHUP is ignored by this process (started with nohup?), so it cannot"
                    + " reload the config; change the file instead");
            return Optional.empty();
        }
        return Optional.of(new HangupSignal(hangup, previous));
    }

    /** Gives SIGHUP back to what had it before (the JVM's shutdown), so no handler outlives the webapp. */
    @Override
    public void close() {
        try {
            Signal.handle(signal, previous);
        } catch (IllegalArgumentException e) {
            LOG.debug("cannot restore the SIGHUP handler: {}", e.getMessage());
        }
    }
}
