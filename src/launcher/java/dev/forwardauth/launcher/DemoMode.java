package dev.forwardauth.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;

/**
 * {@code --demo}: runs {@code dev.forwardauth.demo.Demo} from {@code WEB-INF/demo} (the development IdP,
 * the gateway and the sample page) in a class loader of its own under the launcher's, and lends it the
 * launcher's way of deploying the real webapp. No other mode builds this class loader, and {@code
 * dev.forwardauth.boot.Main} unpacks WEB-INF/demo for this mode alone.
 */
final class DemoMode {
    static final String DEMO_CLASS = "dev.forwardauth.demo.Demo";
    static final String LOOPBACK = "127.0.0.1";

    private DemoMode() {
    }

    static int run(Path webappDir, Path workDir, int port, PrintStream out, PrintStream err) {
        Path demo = webappDir.resolve("WEB-INF").resolve("demo");
        if (!Files.isDirectory(demo.resolve("classes"))) {
            err.println("forwardauth: --demo is not available in this build");
            return Launcher.EXIT_USAGE_OR_CONFIG;
        }
        Thread thread = Thread.currentThread();
        ClassLoader launcher = DemoMode.class.getClassLoader();
        try (URLClassLoader loader = new URLClassLoader("forwardauth-demo", classPath(demo), launcher)) {
            Path demoDir = Files.createDirectories(workDir.resolveSibling("demo"));
            ToIntFunction<Path> forwardauth = config -> deploy(webappDir, workDir, config);
            Method run = Class.forName(DEMO_CLASS, true, loader).getMethod("run", int.class, Path.class,
                    PrintStream.class, PrintStream.class, ToIntFunction.class);
            thread.setContextClassLoader(loader);
            return (Integer) run.invoke(null, port, demoDir, out, err, forwardauth);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("the demo failed", e.getCause());
        } catch (ReflectiveOperationException | IOException e) {
            err.println("forwardauth: this WAR's demo is incomplete: " + e);
            return Launcher.EXIT_INTERNAL_ERROR;
        } finally {
            thread.setContextClassLoader(launcher);
        }
    }

    /** The webapp on the loopback interface, exactly as {@code --config} would run it; returns its port. */
    private static int deploy(Path webappDir, Path workDir, Path config) {
        // Jetty gives the webapp's class loader the context class loader as parent: it must be the
        // launcher's, or the webapp would see the demo's jars.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(DemoMode.class.getClassLoader());
        try {
            EmbeddedServer server = new EmbeddedServer(webappDir, workDir, config, LOOPBACK, 0);
            server.start();
            return server.port();
        } catch (Exception e) {
            throw new IllegalStateException("forwardauth did not start: " + e, e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static URL[] classPath(Path demo) throws IOException {
        List<URL> urls = new ArrayList<>();
        urls.add(demo.resolve("classes").toUri().toURL());
        try (Stream<Path> jars = Files.list(demo.resolve("lib"))) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                urls.add(jar.toUri().toURL());
            }
        }
        return urls.toArray(URL[]::new);
    }
}
