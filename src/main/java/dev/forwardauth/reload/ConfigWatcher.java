package dev.forwardauth.reload;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says "the config file may have changed" after a burst of file-system events has settled. What changed is
 * for the caller to find out (by content): events name directory entries, and the entry that changes is
 * often not the file itself.
 *
 * <ul>
 *   <li>Editors and deploy tools write a new file and rename it over the old one; some delete and recreate.
 *       The <em>directory</em> is watched, so all of these are seen, whatever name they use on the way.</li>
 *   <li>A Kubernetes ConfigMap volume shows {@code config.json -> ..data/config.json} and updates by
 *       swapping the {@code ..data} symlink: an event in the directory, never one for {@code config.json}.
 *       The directory of the file's real path is watched as well, and both are looked up again after every
 *       change, because a swap moves the real path to a new directory.</li>
 *   <li>Events come in bursts (create, write, rename); one check follows once none came for {@link #QUIET},
 *       and at the latest {@link #MAX_DELAY} after the first, so a file written continuously is still read.</li>
 *   <li>Where the file system sends no events (some network and container mounts), a check runs every
 *       {@link #FALLBACK} anyway; reading a small file that often costs nothing.</li>
 * </ul>
 */
final class ConfigWatcher implements AutoCloseable {
    static final Duration QUIET = Duration.ofMillis(300);
    static final Duration MAX_DELAY = Duration.ofSeconds(2);
    static final Duration FALLBACK = Duration.ofSeconds(60);
    static final String THREAD_NAME = "forwardauth-config-watch";

    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);

    private final Path file;
    private final Runnable onChange;
    private final Duration quiet;
    private final Duration maxDelay;
    private final Duration fallback;
    private final WatchService watch;
    private final Map<Path, WatchKey> directories = new HashMap<>();
    private final Thread thread;

    /** Starts watching {@code file}'s directories; {@code onChange} runs on the watcher's own thread. */
    static ConfigWatcher start(Path file, Runnable onChange) throws IOException {
        return start(file, onChange, QUIET, MAX_DELAY, FALLBACK);
    }

    static ConfigWatcher start(Path file, Runnable onChange, Duration quiet, Duration maxDelay, Duration fallback)
            throws IOException {
        ConfigWatcher watcher = new ConfigWatcher(file, onChange, quiet, maxDelay, fallback);
        watcher.thread.start();
        return watcher;
    }

    private ConfigWatcher(Path file, Runnable onChange, Duration quiet, Duration maxDelay, Duration fallback)
            throws IOException {
        this.file = file.toAbsolutePath().normalize();
        this.onChange = onChange;
        this.quiet = quiet;
        this.maxDelay = maxDelay;
        this.fallback = fallback;
        this.watch = FileSystems.getDefault().newWatchService();
        watchDirectories();
        if (directories.isEmpty()) {
            watch.close();
            throw new IOException("cannot watch the directory " + this.file.getParent());
        }
        this.thread = new Thread(this::run, THREAD_NAME);
        // Daemon: a container that never tells the webapp it ends must still be able to exit.
        this.thread.setDaemon(true);
    }

    /** The directories watched now: the file's own, and that of its real path when it is a link. */
    Set<Path> directories() {
        synchronized (directories) {
            return Set.copyOf(directories.keySet());
        }
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = watch.poll(fallback.toMillis(), TimeUnit.MILLISECONDS);
                if (key != null) {
                    settle(key);
                }
                watchDirectories();
                try {
                    onChange.run();
                } catch (RuntimeException e) {
                    LOG.error("config reload: the check after a change failed: {}: {}", e.getClass().getName(),
                            e.getMessage());
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed: the webapp is ending
        }
    }

    /** Takes events until none came for {@link #quiet}, or {@link #maxDelay} has passed since the first. */
    private void settle(WatchKey first) throws InterruptedException {
        long deadline = System.nanoTime() + maxDelay.toNanos();
        WatchKey key = first;
        while (key != null) {
            key.pollEvents();
            key.reset();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            key = watch.poll(Math.min(quiet.toNanos(), left), TimeUnit.NANOSECONDS);
        }
    }

    /** Registers the directories the file lives in now, and drops those it left (a swapped symlink's). */
    private void watchDirectories() {
        Set<Path> wanted = new LinkedHashSet<>();
        wanted.add(file.getParent());
        try {
            wanted.add(file.toRealPath().getParent());
        } catch (IOException e) {
            // gone for the moment (between delete and create): its directory is watched anyway
        }
        synchronized (directories) {
            directories.entrySet().removeIf(entry -> {
                boolean stale = !wanted.contains(entry.getKey()) || !entry.getValue().isValid();
                if (stale) {
                    entry.getValue().cancel();
                }
                return stale;
            });
            for (Path directory : wanted) {
                if (!directories.containsKey(directory)) {
                    try {
                        directories.put(directory, directory.register(watch, StandardWatchEventKinds.ENTRY_CREATE,
                                StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE));
                    } catch (ClosedWatchServiceException e) {
                        throw e;
                    } catch (IOException e) {
                        // The directory went away (an old ConfigMap generation); the next change looks again.
                        LOG.debug("cannot watch {}: {}", directory, e.getMessage());
                    }
                }
            }
        }
    }

    /** Stops the thread and waits for it, so an undeployed webapp leaves none behind. */
    @Override
    public void close() {
        try {
            watch.close();
        } catch (IOException e) {
            LOG.debug("closing the watch service: {}", e.getMessage());
        }
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
