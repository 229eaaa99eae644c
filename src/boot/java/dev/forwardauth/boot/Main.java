package dev.forwardauth.boot;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The WAR's Main-Class. It sits at the WAR root, where {@code java -jar} finds it, and so may use nothing
 * but the JDK: it unpacks the WAR's {@code WEB-INF} into a private temporary directory, then starts the
 * real launcher from {@code WEB-INF/launcher} in a class loader of its own.
 *
 * <p>Unpacked layout: {@code launcher/} (from {@code WEB-INF/launcher/}), {@code webapp/WEB-INF/} (the
 * rest of {@code WEB-INF}) and {@code work/} (the server's scratch space). The webapp directory holds
 * neither the launcher nor the files at the WAR root, so the server cannot serve them even by mistake.
 */
public final class Main {
    static final String LAUNCHER_CLASS = "dev.forwardauth.launcher.Launcher";
    static final int EXIT_INTERNAL_ERROR = 1;
    private static final String LAUNCHER_PREFIX = "WEB-INF/launcher/";
    private static final String WEB_INF_PREFIX = "WEB-INF/";
    /**
     * The demo's development IdP and its libraries (some 10 MB): unpacked for {@code --demo} alone, so no
     * other start pays for them or has them on disk.
     */
    private static final String DEMO_PREFIX = "WEB-INF/demo/";
    private static final String DEMO_FLAG = "--demo";
    /** How long clean-up waits for the server to stop on SIGTERM; above the server's own stop timeout. */
    private static final long CLEANUP_WAIT_SECONDS = 30;

    private Main() {
    }

    public static void main(String[] args) {
        JdkWarmUp.startFor(Arrays.asList(args));
        CountDownLatch launcherDone = new CountDownLatch(1);
        int status;
        try {
            Path war = locateWar();
            Path root = createPrivateDirectory();
            // On SIGTERM the server stops in its own shutdown hook while this one runs: wait until the
            // launcher has returned (the server is stopped) before pulling its classes from under it.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                awaitQuietly(launcherDone);
                deleteTree(root);
            }, "forwardauth-cleanup"));
            String version = unpack(war, root, Arrays.asList(args).contains(DEMO_FLAG));
            status = launch(args, root, version);
        } catch (InvocationTargetException e) {
            // A bug in the launcher: the whole trace helps whoever reports it.
            System.err.println("forwardauth: internal error");
            e.getCause().printStackTrace();
            status = EXIT_INTERNAL_ERROR;
        } catch (IOException | URISyntaxException | ReflectiveOperationException | RuntimeException e) {
            System.err.println("forwardauth: cannot start: " + e);
            status = EXIT_INTERNAL_ERROR;
        } finally {
            launcherDone.countDown();
        }
        System.exit(status);
    }

    private static Path locateWar() throws URISyntaxException {
        URL location = Main.class.getProtectionDomain().getCodeSource().getLocation();
        Path war = Path.of(location.toURI());
        if (!Files.isRegularFile(war)) {
            throw new IllegalStateException("not started from a WAR file (" + war + "): use java -jar forwardauth.war");
        }
        return war;
    }

    /** Owner-only where the file system knows POSIX permissions; elsewhere the user's temp folder is private. */
    static Path createPrivateDirectory() throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempDirectory("forwardauth-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return Files.createTempDirectory("forwardauth-");
    }

    /** Unpacks what the launcher and the webapp need and returns the WAR's Implementation-Version. */
    static String unpack(Path war, Path root) throws IOException {
        return unpack(war, root, false);
    }

    /** Unpacks what the launcher and the webapp need, and the demo if asked, and returns the version. */
    static String unpack(Path war, Path root, boolean demo) throws IOException {
        try (JarFile jar = new JarFile(war.toFile())) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                Path target = targetOf(entry.getName(), root);
                if (target == null || !demo && entry.getName().startsWith(DEMO_PREFIX)) {
                    continue;
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = jar.getInputStream(entry)) {
                        Files.copy(in, target);
                    }
                }
            }
            return jar.getManifest() == null ? null
                    : jar.getManifest().getMainAttributes().getValue(Attributes.Name.IMPLEMENTATION_VERSION);
        }
    }

    /**
     * Where an entry goes, or {@code null} to skip it. Refuses names that would leave their directory
     * ({@code WEB-INF/../x}): a tampered WAR must not write elsewhere, nor next to WEB-INF where a server
     * might serve it.
     */
    static Path targetOf(String name, Path root) {
        Path base;
        String relative;
        if (name.startsWith(LAUNCHER_PREFIX)) {
            base = root.resolve("launcher");
            relative = name.substring(LAUNCHER_PREFIX.length());
        } else if (name.startsWith(WEB_INF_PREFIX)) {
            base = root.resolve("webapp").resolve("WEB-INF");
            relative = name.substring(WEB_INF_PREFIX.length());
        } else {
            return null;
        }
        Path target = base.resolve(relative).normalize();
        if (!target.startsWith(base)) {
            throw new IllegalStateException("refusing a WAR entry that leads outside its directory: " + name);
        }
        return target;
    }

    private static int launch(String[] args, Path root, String version)
            throws IOException, ReflectiveOperationException {
        URL[] classPath = launcherClassPath(root.resolve("launcher"));
        ClassLoader loader = new URLClassLoader("forwardauth-launcher", classPath, ClassLoader.getPlatformClassLoader());
        Thread.currentThread().setContextClassLoader(loader);
        Method run = Class.forName(LAUNCHER_CLASS, true, loader)
                .getMethod("run", String[].class, Path.class, Path.class, String.class);
        Path work = Files.createDirectories(root.resolve("work"));
        return (Integer) run.invoke(null, args, root.resolve("webapp"), work, version);
    }

    private static URL[] launcherClassPath(Path launcher) throws IOException {
        List<URL> urls = new ArrayList<>();
        urls.add(launcher.resolve("classes").toUri().toURL());
        try (Stream<Path> jars = Files.list(launcher.resolve("lib"))) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                urls.add(jar.toUri().toURL());
            }
        }
        return urls.toArray(URL[]::new);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(CLEANUP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Best effort: a file still open (on Windows) stays behind in the temp folder. */
    static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException ignored) {
                    // best effort, see above
                }
            });
        } catch (IOException ignored) {
            // nothing left to delete, or nothing we can do during shutdown
        }
    }
}
