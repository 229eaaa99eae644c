package dev.forwardauth.reload;

import dev.forwardauth.config.ConfigException;
import dev.forwardauth.config.ConfigFileBytes;
import dev.forwardauth.config.ConfigLoader;
import dev.forwardauth.config.ForwardAuthConfig;
import dev.forwardauth.security.ForwardAuthSecurity;
import dev.forwardauth.security.IdentityProvider;
import dev.forwardauth.security.IdpUnavailableError;
import dev.forwardauth.security.LiveSecurity;
import dev.forwardauth.security.token.IdpUnavailableException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live config reload: on a change of the file (or SIGHUP) the file is read and checked exactly as at start-up
 * and as {@code --check-config} does. An invalid file is refused, each problem logged on its own line in the
 * words of {@code --check-config}, and the running configuration stays. A valid one is built into a complete
 * new {@link ForwardAuthSecurity} on this class's own thread, prepared (discovery, pac4j clients), and only
 * then swapped in: requests in flight finish with the one they started with, the next ones get the new one.
 * Sessions survive as long as {@code session-secret} is the same (the cookies carry them, sealed with a key
 * derived from it). All reloads run one after another on one thread.
 */
public final class ConfigReloader implements AutoCloseable {
    /** Builds the security for a configuration; {@code previous} is the one it replaces. */
    @FunctionalInterface
    public interface Builder {
        ForwardAuthSecurity build(ForwardAuthConfig config, ForwardAuthSecurity previous);
    }

    /** What asked for a reload; a changed file is read only when its content changed. */
    enum Trigger {
        FILE("the file changed"), SIGHUP("SIGHUP");

        private final String description;

        Trigger(String description) {
            this.description = description;
        }

        @Override
        public String toString() {
            return description;
        }
    }

    static final String THREAD_NAME = "forwardauth-config-reload";
    /**
     * How long an identity provider a reload replaced stays open for requests that started before the swap.
     * They are bounded by the HTTP timeouts (seconds); this is generous.
     */
    static final Duration RETIRE_AFTER = Duration.ofMinutes(2);

    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

    private final Path file;
    private final Map<String, String> env;
    private final LiveSecurity live;
    private final Builder builder;
    private final ScheduledExecutorService executor;
    private final List<IdentityProvider> retiring = new CopyOnWriteArrayList<>();
    private ConfigWatcher watcher;
    private HangupSignal hangup;
    /** The content last acted on (valid or not), so an unchanged or already refused file is not read again. */
    private String lastSeen;

    ConfigReloader(Path file, Map<String, String> env, LiveSecurity live, Builder builder) {
        this.file = file;
        this.env = env;
        this.live = live;
        this.builder = builder;
        this.lastSeen = fingerprint(file);
        this.executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, THREAD_NAME);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts what {@code mode} asks for. SIGHUP is taken only when {@code mayTakeSighup}, i.e. under
     * {@code java -jar}, where the process is forwardauth's (see {@link HangupSignal} for why not in a
     * container). Empty for {@link ReloadMode#OFF}, or when nothing could be started.
     */
    public static Optional<ConfigReloader> start(ReloadMode mode, boolean mayTakeSighup, Path file,
                                                 Map<String, String> env, LiveSecurity live, Builder builder) {
        if (mode == ReloadMode.OFF) {
            LOG.info("config reload: off ({}=off); the config is read at start-up only", ReloadMode.PROPERTY);
            return Optional.empty();
        }
        if (mode == ReloadMode.SIGNAL && !mayTakeSighup) {
            LOG.warn("config reload: {}=signal, but in a servlet container SIGHUP stays the container's;"
                    + " the config is read at start-up only", ReloadMode.PROPERTY);
            return Optional.empty();
        }
        ConfigReloader reloader = new ConfigReloader(file, env, live, builder);
        if (mode == ReloadMode.WATCH) {
            try {
                reloader.watcher = ConfigWatcher.start(file, () -> reloader.request(Trigger.FILE));
            } catch (IOException | RuntimeException e) {
                LOG.error("config reload: cannot watch {} ({}){}", file, e.getMessage(),
                        mayTakeSighup ? "; SIGHUP still reloads" : "; the config is read at start-up only");
            }
        }
        if (mayTakeSighup) {
            reloader.hangup = HangupSignal.install(() -> reloader.request(Trigger.SIGHUP)).orElse(null);
        }
        if (reloader.watcher == null && reloader.hangup == null) {
            reloader.close();
            return Optional.empty();
        }
        LOG.info("config reload: {}{}", reloader.watcher == null ? "" : "watching " + file,
                reloader.hangup == null ? "" : (reloader.watcher == null ? "" : ", and ") + "on SIGHUP");
        return Optional.of(reloader);
    }

    /** Queues a reload; returns at once (a signal handler or the watcher's thread calls this). */
    void request(Trigger trigger) {
        try {
            executor.execute(() -> reload(trigger));
        } catch (RejectedExecutionException e) {
            // closing: the webapp is ending
        }
    }

    /** One reload, on the reload thread. */
    void reload(Trigger trigger) {
        String seen = fingerprint(file);
        if (trigger == Trigger.FILE && seen.equals(lastSeen)) {
            return; // an event that changed nothing we read (another file in the directory, a touch)
        }
        lastSeen = seen;
        ForwardAuthConfig config;
        try {
            config = ConfigLoader.load(file, env);
        } catch (ConfigException e) {
            LOG.warn("config {} not reloaded ({}): {} problem(s); still serving the configuration in use", file,
                    trigger, e.problems().size());
            // One line per problem, the same lines --check-config prints.
            e.problems().forEach(problem -> LOG.error("config: {}", problem));
            return;
        }
        ForwardAuthSecurity current = live.current();
        if (config.equals(current.config())) {
            LOG.info("config {} read ({}): the configuration is the same, nothing to change", file, trigger);
            return;
        }
        ForwardAuthSecurity next;
        try {
            next = builder.build(config, current);
        } catch (RuntimeException e) {
            LOG.error("config {} not reloaded ({}): building it failed ({}: {}); still serving the configuration"
                    + " in use", file, trigger, e.getClass().getName(), e.getMessage());
            return;
        }
        prepare(next);
        live.swap(next);
        LOG.info("config {} reloaded ({}): {} app(s){}, identity provider {}", file, trigger, config.apps().size(),
                config.defaultApp().isPresent() ? " and a default" : "", config.domain());
        if (!config.sessionSecret().equals(current.config().sessionSecret())) {
            LOG.warn("config reload: session-secret changed; every session and every sign-in under way is void,"
                    + " users sign in again");
        }
        // /metrics is registered, and the decision log's writer started, when the webapp starts: a reload
        // cannot add or remove them. Say so, rather than let "reloaded" suggest otherwise.
        if (config.metrics() != current.config().metrics()
                || config.decisionLog() != current.config().decisionLog()) {
            LOG.warn("config reload: metrics and decision-log are read at start-up only; their change takes effect"
                    + " at the next start");
        }
        if (next.idp() != current.idp()) {
            retire(current.idp());
        }
    }

    /**
     * Discovery, the pac4j clients and the token validators, before the swap, so no request after it waits
     * for them. Only a head start: what fails here fails the same way for the first request that needs it,
     * exactly as after a start-up whose warm-up failed. So it does not stop the reload; an unreachable IdP in
     * particular must not keep changed rules out (logins answer 503 until it is back).
     */
    private void prepare(ForwardAuthSecurity next) {
        try {
            next.warmUp();
        } catch (IdpUnavailableException | IdpUnavailableError e) {
            LOG.warn("config reload: {} (logins answer 503 until it is reachable)", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("config reload: preparing the identity provider's clients failed ({}: {}); the first sign-in"
                    + " tries again", e.getClass().getName(), e.getMessage());
        }
    }

    private void retire(IdentityProvider idp) {
        retiring.add(idp);
        try {
            executor.schedule(() -> {
                retiring.remove(idp);
                idp.close();
            }, RETIRE_AFTER.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            idp.close();
        }
    }

    /**
     * A digest of the file's content (through links, as the loader reads it), or of why it cannot be read:
     * a file that stays unreadable is reported once, not after every event. Read within the loader's limits:
     * a FIFO or a device put in the file's place must not block or exhaust the reload thread.
     */
    static String fingerprint(Path file) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(ConfigFileBytes.read(file));
            return HexFormat.of().formatHex(digest);
        } catch (IOException e) {
            return "unreadable: " + e.getClass().getName() + ": " + e.getMessage();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Stops watching, gives SIGHUP back, ends the reload thread and closes what reloads replaced. */
    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
        if (hangup != null) {
            hangup.close();
        }
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("config reload: a reload was still running at the end");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        retiring.forEach(IdentityProvider::close);
        retiring.clear();
    }
}
