package dev.forwardauth.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ways a config file gets changed in practice, each seen by the watcher: written in place, replaced by
 * a rename (editors, Ansible, {@code mv}), deleted and created again, and a Kubernetes ConfigMap's symlink
 * swap. Each check reads the file, as the reloader does, and records what it saw.
 */
class ConfigWatcherTest {
    private static final Duration QUIET = Duration.ofMillis(100);
    private static final Duration NEVER = Duration.ofHours(1);

    @TempDir
    Path dir;
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private ConfigWatcher watcher;

    @AfterEach
    void close() {
        if (watcher != null) {
            watcher.close();
        }
    }

    private void watch(Path file) throws Exception {
        watch(file, QUIET, Duration.ofSeconds(2), NEVER);
    }

    private void watch(Path file, Duration quiet, Duration maxDelay, Duration fallback) throws Exception {
        watcher = ConfigWatcher.start(file, () -> seen.add(read(file)), quiet, maxDelay, fallback);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (Exception e) {
            return "unreadable";
        }
    }

    private void awaitSeen(String content) throws Exception {
        Await.until("a check that reads " + content + " (seen: " + seen + ")", () -> seen.contains(content));
    }

    @Test
    void fileWrittenInPlaceIsSeen() throws Exception {
        Path file = Files.writeString(dir.resolve("forwardauth.json"), "one");
        watch(file);

        Files.writeString(file, "two");

        awaitSeen("two");
    }

    @Test
    void fileReplacedByARenameIsSeen() throws Exception {
        Path file = Files.writeString(dir.resolve("forwardauth.json"), "one");
        watch(file);

        Path next = Files.writeString(dir.resolve(".forwardauth.json.swp"), "two");
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        awaitSeen("two");
    }

    @Test
    void fileDeletedAndCreatedAgainIsSeen() throws Exception {
        Path file = Files.writeString(dir.resolve("forwardauth.json"), "one");
        watch(file);

        Files.delete(file);
        Files.writeString(file, "two");

        awaitSeen("two");
    }

    /**
     * kubelet's layout: config.json -> ..data/config.json, ..data -> ..2024_01; an update writes a new
     * timestamped directory, points ..data_tmp at it, renames ..data_tmp over ..data and deletes the old one.
     */
    @Test
    void configMapSymlinkSwapIsSeenAndTheNewDirectoryIsWatched() throws Exception {
        Path first = Files.createDirectory(dir.resolve("..2024_01"));
        Files.writeString(first.resolve("config.json"), "one");
        Files.createSymbolicLink(dir.resolve("..data"), Path.of("..2024_01"));
        Path file = Files.createSymbolicLink(dir.resolve("config.json"), Path.of("..data/config.json"));
        watch(file);
        assertEquals(Set.of(dir.toRealPath(), first.toRealPath()), watcher.directories());

        Path second = Files.createDirectory(dir.resolve("..2024_02"));
        Files.writeString(second.resolve("config.json"), "two");
        Path tmp = Files.createSymbolicLink(dir.resolve("..data_tmp"), Path.of("..2024_02"));
        Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.delete(first.resolve("config.json"));
        Files.delete(first);

        awaitSeen("two");
        Await.until("the new generation's directory watched, the old one dropped",
                () -> watcher.directories().equals(Set.of(dir.toRealPath(), second.toRealPath())));
    }

    @Test
    void aBurstOfWritesIsCheckedOnceItHasSettled() throws Exception {
        Path file = Files.writeString(dir.resolve("forwardauth.json"), "0");
        // A long quiet period: the writes below come far faster, so the first check must see the last one.
        watch(file, Duration.ofSeconds(2), Duration.ofSeconds(20), NEVER);

        for (int i = 1; i <= 20; i++) {
            Files.writeString(file, String.valueOf(i));
        }

        Await.until("a check", () -> !seen.isEmpty());
        assertEquals("20", seen.get(0), "checked before the burst settled: " + seen);
    }

    @Test
    void withoutEventsTheFileIsStillCheckedNowAndThen() throws Exception {
        Path file = Files.writeString(dir.resolve("forwardauth.json"), "one");
        watch(file, QUIET, Duration.ofSeconds(2), Duration.ofMillis(100));

        Await.until("two checks without any change", () -> seen.size() >= 2);
    }

    @Test
    void closeEndsTheWatcherThread() throws Exception {
        Path file = Files.writeString(dir.resolve("forwardauth.json"), "one");
        watch(file);
        assertTrue(watcherThreads() > 0);

        watcher.close();

        assertFalse(watcherThreads() > 0, "a watcher thread is still running after close");
    }

    private static long watcherThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals(ConfigWatcher.THREAD_NAME) && thread.isAlive()).count();
    }
}
